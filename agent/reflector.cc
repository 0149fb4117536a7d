#include "agent/reflector.h"

#include "absl/strings/ascii.h"

namespace tritonbench {

void ReflectionMemory::Add(FailureKind kind, std::string text) {
  absl::MutexLock lock(&mu_);
  entries_.emplace_back(kind, std::move(text));
}

std::vector<std::string> ReflectionMemory::Relevant(FailureKind kind, int max) const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> out;
  for (int pass = 0; pass < 2; ++pass) {
    for (auto it = entries_.rbegin(); it != entries_.rend() && static_cast<int>(out.size()) < max; ++it) {
      if ((it->first == kind) == (pass == 0)) out.push_back(it->second);
    }
  }
  return out;
}

int ReflectionMemory::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(entries_.size());
}

LlmCall Reflect(LlmCaller& llm, const PromptBuilder& prompts, const Task& task, const std::string& code,
                const EvaluationResult& result, std::string* lesson) {
  lesson->clear();
  auto messages = prompts.Reflection(task, code, result.failure_kind(), result.message());
  if (!messages.ok()) {
    LlmCall failed;
    failed.status = messages.status();
    return failed;
  }
  LlmCall call = llm.Chat(*messages);
  if (call.status.ok()) *lesson = std::string(absl::StripAsciiWhitespace(call.response.text()));
  return call;
}

}  // namespace tritonbench
