#include "agent/generator.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "agent/code_extraction.h"
#include "common/files.h"
#include "common/parallel.h"

namespace tritonbench {

absl::StatusOr<std::vector<GeneratedCandidate>> Generate(LlmCaller& llm, const std::vector<ChatMessage>& messages,
                                                         int n, std::optional<double> temperature,
                                                         const std::string& dir, const std::string& stem) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  std::vector<LlmCall> calls(n);
  // Tagged with the stem ("run1_iter3"), so a replay keeps each parallel run's answers.
  ParallelFor(n, n, [&](int i) { calls[i] = llm.Chat(messages, temperature, stem); });
  // The n requests are identical, so their answers are interchangeable; ordering them
  // by text makes the file each lands in independent of which call finished first
  // (a replay then writes the same bytes to the same files).
  std::stable_sort(calls.begin(), calls.end(), [](const LlmCall& a, const LlmCall& b) {
    if (a.status.ok() != b.status.ok()) return a.status.ok();
    return a.response.text() < b.response.text();
  });
  std::vector<GeneratedCandidate> out(n);
  for (int i = 0; i < n; ++i) {
    GeneratedCandidate& c = out[i];
    c.path = absl::StrCat(dir, "/", stem, "_c", i, ".py");
    c.call = std::move(calls[i]);
    if (!c.call.status.ok()) {
      c.error = c.call.status;
      continue;
    }
    auto code = ExtractPythonCode(c.call.response.text());
    if (!code.ok()) {
      c.error = code.status();
      continue;
    }
    c.code = *code;
  }
  for (auto& c : out) {
    if (!c.call.status.ok()) continue;
    if (auto s = WriteFile(c.path + ".answer.txt", c.call.response.text()); !s.ok()) return s;
    if (c.error.ok()) {
      if (auto s = WriteFile(c.path, c.code); !s.ok()) return s;
    }
  }
  return out;
}

}  // namespace tritonbench
