// Zero-shot and one-shot (strategies.h).
#include "absl/strings/str_cat.h"
#include "agent/generator.h"
#include "agent/strategies.h"

namespace tritonbench {

absl::StatusOr<TaskOutcome> RunDirect(const AgentServices& s, const Task& task, const std::string& dir) {
  TaskOutcome outcome;
  PromptContext context;
  context.knowledge = s.knowledge;
  if (s.retriever != nullptr) {
    auto example = s.retriever->Best(task);
    if (!example.ok()) return example.status();
    context.example = *example;
    outcome.log.push_back(absl::StrCat("retrieved example: ", example->name));
  }
  auto messages = s.prompts->Generation(task, context);
  if (!messages.ok()) return messages.status();
  auto generated = Generate(*s.llm, *messages, 1, std::nullopt, dir, "iter1");
  if (!generated.ok()) return generated.status();
  GeneratedCandidate& c = generated->front();
  outcome.calls.push_back(c.call.record);
  Attempt attempt;
  attempt.iteration = 1;
  attempt.candidate_path = c.path;
  attempt.code = c.code;
  if (!c.error.ok()) {
    attempt.result = NoCodeResult(task.spec.id(), c.path, std::string(c.error.message()));
  } else {
    auto result = s.evaluator->Evaluate(task, c.path, /*input_salt=*/0);
    if (!result.ok()) return result.status();
    attempt.result = *result;
  }
  outcome.log.push_back(absl::StrCat("iteration 1: 1 call, candidate ", FailureKind_Name(attempt.result.failure_kind()),
                                     attempt.result.execution_ok() ? " (correct)" : ""));
  outcome.best = attempt.result;
  outcome.best_code = attempt.code;
  TaskGeneration& g = outcome.generation;
  g.set_task_id(task.spec.id());
  g.set_iterations(1);
  SetCallStats(outcome.calls, &g);
  if (attempt.result.execution_ok()) {
    g.set_iterations_to_first_correct(1);
    g.set_llm_calls_to_first_correct(1);
  }
  outcome.attempts.push_back(std::move(attempt));
  return outcome;
}

absl::StatusOr<TaskOutcome> RunStrategy(const AgentServices& s, const Task& task, const std::string& dir) {
  switch (s.config->strategy()) {
    case ZERO_SHOT:
    case ONE_SHOT:
      return RunDirect(s, task, dir);
    case GEAK_AGENT:
      return RunGeak(s, task, dir);
    default:
      return absl::InvalidArgumentError(absl::StrCat("configuration ", s.config->name(), " has no strategy"));
  }
}

}  // namespace tritonbench
