// Evaluates one candidate file against one task in a fresh, limited worker process
// (harness/python/worker.py), and describes the environment it runs in.
//
// The evaluator never trusts the candidate: the worker runs under ProcessLimits, and
// whatever ends it early (timeout, memory, signal, exit) becomes a FailureKind in the
// result, never an error of the evaluator itself. Each request carries a random token
// that the worker's result must echo (a result file without it is REJECTED_BY_CHECK
// result_forged); the worker deletes the request once read, and this process makes
// itself non-dumpable, so code in the candidate's process cannot learn the token.
// Each evaluation has its own Triton cache under its scratch folder, which is removed
// when the evaluation ends, whatever its outcome, once no process of it is left.
#ifndef TRITONBENCH_HARNESS_EVALUATOR_H_
#define TRITONBENCH_HARNESS_EVALUATOR_H_

#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/proto/run_record.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// Bumped when the worker's checks or timing method change what a result means.
// 0.9.0: the yardstick timed in its own process, in rounds alternating with the
// candidate's, on rotating draws with swapped elements; global_state, mostly_torch and
// laundering checks; the candidate confined to writing its own folder (Landlock).
inline constexpr char kHarnessVersion[] = "0.9.0";

// Pins a worker to one GPU (harness/gpu_pool.h makes these).
struct GpuPin {
  // Set in the worker's environment, replacing the runner's value: ("CUDA_VISIBLE_DEVICES", "3").
  std::vector<std::pair<std::string, std::string>> set;
  // Variables of the runner's environment not passed to the worker.
  std::vector<std::string> unset;
  // Recorded in every result (EvaluationResult.gpu).
  GpuAssignment assignment;
};

struct EvaluatorOptions {
  // Interpreter with torch and triton (tools/setup.sh prints it).
  std::string python = "python3";
  // Path of harness/python/worker.py.
  std::string worker_path = "harness/python/worker.py";
  // Each evaluation gets a fresh folder under here for its request, result and output
  // (the worker's HOME, TMPDIR and caches too), removed when it ends (RemoveScratch in
  // harness/scratch.h) unless `keep_scratch`.
  std::string scratch_dir = "/tmp";
  bool keep_scratch = false;
  EvaluationSettings settings;
  // Turning true stops the running worker; Evaluate then returns Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // The GPU every worker (and the probe) is confined to; unset: the GPUs the runner sees.
  std::optional<GpuPin> gpu;
};

// Settings a user gets without choosing (the tools' flags default to them too): auto
// device, 300 s, 16 GiB, 64 KiB of output, 100 timed repetitions after 50 ms of
// warm-up, L2 flushed.
inline constexpr double kDefaultTimeoutSeconds = 300;
inline constexpr int64_t kDefaultMemoryLimitMb = 16 * 1024;
inline constexpr int32_t kDefaultTimingRepetitions = 100;
inline constexpr int32_t kDefaultWarmupMs = 50;
EvaluationSettings DefaultSettings();

class Evaluator {
 public:
  explicit Evaluator(EvaluatorOptions options);

  // Runs the worker on `candidate_path`. Returns a result for every candidate
  // behaviour; fails only when the worker cannot be started at all, the scratch
  // folder cannot be written, or options.cancel turned true (Cancelled). A non-zero
  // `input_salt` gives the draws the spec does not list (hidden checks, timing inputs)
  // other values (EvaluationRequest.input_salt).
  absl::StatusOr<EvaluationResult> Evaluate(const Task& task, const std::string& candidate_path,
                                            uint64_t input_salt = 0) const;

  // Asks a worker to describe the device the settings select.
  absl::StatusOr<Environment> ProbeEnvironment() const;

  const EvaluatorOptions& options() const { return options_; }

 private:
  EvaluatorOptions options_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_EVALUATOR_H_
