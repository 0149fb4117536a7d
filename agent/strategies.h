// The three configurations' per-task procedures. Each takes a task and a folder for
// its candidates (<out>/candidates/<task id>/) and returns a TaskOutcome.
//   zero-shot  one call, extract the code, evaluate;
//   one-shot   the same with the retrieved corpus example in the prompt;
//   GEAK       P independent runs of: generator (N candidates a round), evaluator,
//              reflector, debugging trap, optimizer; knowledge in the prompts when on;
//              the best correct result of all runs kept.
#ifndef TRITONBENCH_AGENT_STRATEGIES_H_
#define TRITONBENCH_AGENT_STRATEGIES_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/candidate_evaluator.h"
#include "agent/llm_caller.h"
#include "agent/prompt_builder.h"
#include "agent/proto/configuration.pb.h"
#include "agent/retrieval.h"
#include "agent/task_outcome.h"
#include "harness/task_loader.h"

namespace tritonbench {

struct AgentServices {
  const Configuration* config = nullptr;
  const PromptBuilder* prompts = nullptr;
  LlmCaller* llm = nullptr;
  CandidateEvaluator* evaluator = nullptr;
  // Knowledge notes (agent/knowledge) when config->knowledge(); else empty.
  std::string knowledge;
  // ONE_SHOT only.
  const Retriever* retriever = nullptr;
};

// Zero-shot and one-shot (the example comes from services.retriever when set).
// Errors only when the harness or the file system fails; a failed call or an answer
// without code is a failed candidate.
absl::StatusOr<TaskOutcome> RunDirect(const AgentServices& services, const Task& task, const std::string& dir);

// The GEAK agent with the configuration's agent settings. Generation stats over the P
// runs: iterations is the most rounds any run took (runs go side by side);
// iterations/LLM calls to the first correct kernel come from the run that found one
// in the fewest rounds; llm_calls and tokens are totals over all runs. A run stops
// at its first correct kernel when the optimizer cannot run (off, or no timing on
// the CPU interpreter: said in the log), else when its iteration budget is spent.
absl::StatusOr<TaskOutcome> RunGeak(const AgentServices& services, const Task& task, const std::string& dir);

// Dispatches on services.config->strategy().
absl::StatusOr<TaskOutcome> RunStrategy(const AgentServices& services, const Task& task, const std::string& dir);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_STRATEGIES_H_
