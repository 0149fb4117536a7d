#include "agent/candidate_evaluator.h"

namespace tritonbench {

HarnessCandidateEvaluator::HarnessCandidateEvaluator(EvaluatorOptions options, bool timed, int max_concurrent)
    : evaluator_(std::move(options)), timed_(timed), free_slots_(timed || max_concurrent < 1 ? 1 : max_concurrent) {}

absl::StatusOr<EvaluationResult> HarnessCandidateEvaluator::Evaluate(const Task& task,
                                                                     const std::string& candidate_path,
                                                                     uint64_t input_salt) {
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* slots) { return *slots > 0; }, &free_slots_));
    --free_slots_;
  }
  auto result = evaluator_.Evaluate(task, candidate_path, input_salt);
  absl::MutexLock lock(&mu_);
  ++free_slots_;
  return result;
}

}  // namespace tritonbench
