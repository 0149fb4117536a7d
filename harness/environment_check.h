// What the probed environment (Environment in run_record.proto, from the worker's
// --probe) means for a run, decided before any task runs.
#ifndef TRITONBENCH_HARNESS_ENVIRONMENT_CHECK_H_
#define TRITONBENCH_HARNESS_ENVIRONMENT_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/run_record.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

// FailedPrecondition naming every fatal StackProblem and its fix (a ROCm build of torch
// with a CUDA build of triton: no kernel could compile for its GPU). Otherwise the notices
// to print before the run: each non-fatal stack problem with its fix, and for each
// feature the device lacks, the tasks that will be skipped as UNSUPPORTED, naming the
// device. An environment that lists no supported features (an older probe) gets no
// skip notice.
absl::StatusOr<std::vector<std::string>> CheckEnvironment(const Environment& env, const std::vector<Task>& tasks);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_ENVIRONMENT_CHECK_H_
