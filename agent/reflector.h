// The reflector (Reflexion): a failing candidate's error and code go to the LLM, which
// writes a short lesson; lessons are kept in a memory, and the relevant ones go into
// later prompts.
#ifndef TRITONBENCH_AGENT_REFLECTOR_H_
#define TRITONBENCH_AGENT_REFLECTOR_H_

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "agent/llm_caller.h"
#include "agent/prompt_builder.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

class ReflectionMemory {
 public:
  void Add(FailureKind kind, std::string text);
  // At most `max` lessons: those about `kind` first, then the rest; newest first within each.
  std::vector<std::string> Relevant(FailureKind kind, int max) const;
  int size() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::pair<FailureKind, std::string>> entries_ ABSL_GUARDED_BY(mu_);
};

// Asks for a lesson about `result` (the verdict of `code`). The call is returned for
// accounting; its answer's text (trimmed) is the lesson; a failed call yields none.
LlmCall Reflect(LlmCaller& llm, const PromptBuilder& prompts, const Task& task, const std::string& code,
                const EvaluationResult& result, std::string* lesson);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_REFLECTOR_H_
