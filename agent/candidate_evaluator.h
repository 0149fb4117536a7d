// The agent's evaluator step: the harness on one candidate file, with the run's
// concurrency rules. Correctness-only evaluations (CPU interpreter) may overlap, up to
// a limit; evaluations that time kernels on a GPU run one at a time on each GPU, so
// that no measurement is disturbed by another (over several GPUs with run_config
// --gpus: harness/gpu_pool.h).
#ifndef TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_
#define TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "harness/evaluator.h"
#include "harness/gpu_pool.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// What the agent needs of an evaluator; tests substitute a fake.
class CandidateEvaluator {
 public:
  virtual ~CandidateEvaluator() = default;
  // A verdict for every candidate behaviour, from a fresh evaluation; errors only when
  // the harness itself cannot run (see Evaluator::Evaluate). `input_salt`: 0 during
  // the search; non-zero for the kept kernel's evaluation on new inputs (the result
  // carries it). Thread-safe.
  virtual absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& candidate_path,
                                                    uint64_t input_salt) = 0;
  // Whether results carry latencies (a GPU), so the optimizer has something to use.
  virtual bool timed() const = 0;
};

class HarnessCandidateEvaluator : public CandidateEvaluator {
 public:
  // `timed`: the evaluator's device is a GPU (Environment.backend is not
  // "cpu-interpreter"); then evaluations are serialized. Otherwise at most
  // `max_concurrent` run at once.
  HarnessCandidateEvaluator(EvaluatorOptions options, bool timed, int max_concurrent);
  // Evaluations on `pool`'s slots, as many at once as it has (PoolFor).
  HarnessCandidateEvaluator(std::unique_ptr<EvaluatorPool> pool, bool timed);
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& candidate_path,
                                            uint64_t input_salt) override;
  bool timed() const override { return timed_; }

  // The pool options of the rules above for the GPUs `gpus` names (--gpus; "" the
  // runner's device): timed, one evaluation at a time on each GPU; otherwise at most
  // `max_concurrent` in all.
  static PoolOptions PoolFor(const std::string& gpus, bool timed, int max_concurrent);

 private:
  std::unique_ptr<EvaluatorPool> pool_;
  bool timed_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_
