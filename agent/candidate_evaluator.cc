#include "agent/candidate_evaluator.h"

#include <algorithm>

namespace tritonbench {

PoolOptions HarnessCandidateEvaluator::PoolFor(const std::string& gpus, bool timed, int max_concurrent) {
  const int most = std::max(1, max_concurrent);
  return timed ? PoolOptions{gpus, 1, 0} : PoolOptions{gpus, most, most};
}

HarnessCandidateEvaluator::HarnessCandidateEvaluator(EvaluatorOptions options, bool timed, int max_concurrent)
    // Without --gpus the pool needs no environment and cannot fail.
    : pool_(*EvaluatorPool::Create(options, Environment(), PoolFor("", timed, max_concurrent))), timed_(timed) {}

HarnessCandidateEvaluator::HarnessCandidateEvaluator(std::unique_ptr<EvaluatorPool> pool, bool timed)
    : pool_(std::move(pool)), timed_(timed) {}

absl::StatusOr<EvaluationResult> HarnessCandidateEvaluator::Evaluate(const Task& task,
                                                                     const std::string& candidate_path,
                                                                     uint64_t input_salt) {
  return pool_->Evaluate(task, candidate_path, input_salt);
}

}  // namespace tritonbench
