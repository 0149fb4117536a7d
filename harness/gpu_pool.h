// Evaluations spread over the GPUs of one machine (evaluate/run_config --gpus).
//
// --gpus names GPUs by their index among those the runner sees: torch's order, after
// any CUDA_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES or ROCR_VISIBLE_DEVICES the runner was
// given (by Slurm, Kubernetes or a user). Each worker is pinned to one of them by the
// backend's device-selection variable in its environment (PinFor), so that it sees
// that GPU alone, as device 0, and every result names its GPU (EvaluationResult.gpu).
// An EvaluatorPool keeps at most `per_gpu` evaluations in flight on each GPU, and gives
// each GPU with more than one its own GPU lock (harness/python/gpu_lock.py): timed
// measurements run on every GPU at once, each with no other GPU work beside it on its
// GPU. On the CPU interpreter (--device=cpu) the pool's slots pin nothing, so that the
// pool runs, and is tested, as it would on GPUs.
#ifndef TRITONBENCH_HARNESS_GPU_POOL_H_
#define TRITONBENCH_HARNESS_GPU_POOL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "harness/evaluator.h"
#include "harness/proto/run_record.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// The indices the --gpus flag `flag` names: "all" is 0 .. device_count-1, else a
// comma-separated list of distinct non-negative indices, each below device_count
// unless device_count < 0 (not known). Errors name the flag and the index.
absl::StatusOr<std::vector<int>> ParseGpus(const std::string& flag, int device_count);

// The runner's environment as PinFor reads it: a variable's value, or nullptr.
using EnvLookup = std::function<const char*(const char*)>;

// Pins a worker to the runner's GPU `index` on `backend` ("cuda" or "rocm"). CUDA:
// CUDA_VISIBLE_DEVICES. ROCm: HIP_VISIBLE_DEVICES, with CUDA_VISIBLE_DEVICES not passed
// on (HIP would apply it too); ROCR_VISIBLE_DEVICES, applied before either, stays as the
// runner has it. The value is the index-th entry of the runner's own list in that
// variable (HIP_VISIBLE_DEVICES, else CUDA_VISIBLE_DEVICES on ROCm) when it has one,
// else the index. Fails for another backend, or an index past the runner's list.
absl::StatusOr<GpuPin> PinFor(const std::string& backend, int index, const EnvLookup& lookup);

// Slots for evaluations on `devices` devices: at most `per_device` at once on each and
// `total` in all (0: no limit beyond per_device x devices). Acquire waits for a free
// slot and takes it on the device with the fewest in flight (the lowest index among
// equals). Thread-safe.
class SlotPool {
 public:
  SlotPool(int devices, int per_device, int total = 0);

  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), device_(other.device_) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    int device() const { return device_; }

   private:
    friend class SlotPool;
    Lease(SlotPool* pool, int device) : pool_(pool), device_(device) {}
    SlotPool* pool_;
    int device_;
  };

  Lease Acquire();
  // Evaluations at once, in all.
  int capacity() const { return capacity_; }

 private:
  void Release(int device);

  const int per_device_;
  const int capacity_;
  absl::Mutex mu_;
  std::vector<int> in_flight_ ABSL_GUARDED_BY(mu_);
  int total_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

struct PoolOptions {
  // The --gpus flag: "" (no pinning: one evaluator as the runner is), "all" or "0,1,5".
  std::string gpus;
  // Evaluations at once on each GPU (on the one evaluator without --gpus).
  int per_gpu = 1;
  // At most this many at once in all; 0: per_gpu on each.
  int total = 0;
};

class EvaluatorPool {
 public:
  // For a runner whose probe gave `env` (Evaluator(base).ProbeEnvironment()):
  //  - gpus "": one evaluator as `base` describes, per_gpu at once;
  //  - on a GPU: one evaluator per GPU named, pinned (PinFor, from this process's
  //    environment) and probed pinned, all at once, to check that it sees exactly one
  //    GPU, of the kind `env` names (a run measures one kind of device); with
  //    per_gpu > 1 each gets its own lock file, <base lock>.gpu-<pin> where `base`
  //    names one, else <base.scratch_dir>/gpu-<pin>.lock;
  //  - on the CPU interpreter, with --device=cpu: one unpinned slot per index named
  //    ("all" is refused: there are no GPUs to count).
  // Errors name the flag and the problem: a GPU that does not exist, no GPU at all
  // (--device=auto found none), a pinned worker that sees no GPU or several.
  static absl::StatusOr<std::unique_ptr<EvaluatorPool>> Create(const EvaluatorOptions& base, const Environment& env,
                                                               const PoolOptions& options,
                                                               const EnvLookup& lookup = nullptr);

  // Evaluator::Evaluate on a free slot (waits for one). Thread-safe.
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& candidate_path,
                                            uint64_t input_salt = 0);

  // Evaluations at once, in all.
  int capacity() const { return slots_.capacity(); }
  // "GPUs 0 (CUDA_VISIBLE_DEVICES=2), 1 (CUDA_VISIBLE_DEVICES=3): 2 evaluations at once on
  // each"; "" without --gpus.
  const std::string& description() const { return description_; }
  // The options of slot `i`'s evaluator.
  const EvaluatorOptions& options(int i) const { return evaluators_[i]->options(); }
  int slots() const { return static_cast<int>(evaluators_.size()); }

 private:
  EvaluatorPool(std::vector<std::unique_ptr<Evaluator>> evaluators, int per_gpu, int total, std::string description)
      : evaluators_(std::move(evaluators)),
        slots_(static_cast<int>(evaluators_.size()), per_gpu, total),
        description_(std::move(description)) {}

  std::vector<std::unique_ptr<Evaluator>> evaluators_;
  SlotPool slots_;
  std::string description_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_GPU_POOL_H_
