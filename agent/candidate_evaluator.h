// The agent's evaluator step: the harness on one candidate file, with the run's
// concurrency rules. Correctness-only evaluations (CPU interpreter) may overlap, up to
// a limit; evaluations that time kernels on a GPU run one at a time, so that no
// measurement is disturbed by another.
#ifndef TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_
#define TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "harness/evaluator.h"
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
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& candidate_path,
                                            uint64_t input_salt) override;
  bool timed() const override { return timed_; }

 private:
  Evaluator evaluator_;
  bool timed_;
  absl::Mutex mu_;
  int free_slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_CANDIDATE_EVALUATOR_H_
