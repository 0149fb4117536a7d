// Loads a task folder (suites/<suite>/<task>/) into a validated TaskSpec.
//
// A task folder holds task.textproto (a tritonbench.TaskSpec), kernel.py (the ground
// truth) and reference.py (the PyTorch semantics); a task imported from GEAK-eval
// (TaskSpec.upstream, tools/import_upstream) holds upstream_test.py (the upstream test
// code) instead of reference.py. Loading fails with a status whose
// message names the file, the line and the field at fault, e.g.
//   suites/x/add/task.textproto:14:3: correctness_cases[1].seeds: at least one seed is required
#ifndef TRITONBENCH_HARNESS_TASK_LOADER_H_
#define TRITONBENCH_HARNESS_TASK_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "harness/proto/task.pb.h"

namespace tritonbench {

// A loaded task: its spec and the folder its files live in.
struct Task {
  TaskSpec spec;
  std::string dir;  // as given to LoadTask, without a trailing '/'

  std::string SpecPath() const { return dir + "/task.textproto"; }
  std::string KernelPath() const { return dir + "/kernel.py"; }
  std::string ReferencePath() const { return dir + "/reference.py"; }
  std::string UpstreamTestPath() const { return dir + "/upstream_test.py"; }
};

// Reads and validates `task_dir`/task.textproto and checks that kernel.py and
// reference.py (upstream tasks: upstream_test.py) exist. InvalidArgument for a malformed or inconsistent spec, NotFound
// for missing files.
absl::StatusOr<Task> LoadTask(const std::string& task_dir);

// Parses a TaskSpec from text; `path` is used in error messages only. Then validates
// it as ValidateTaskSpec does. Exposed for tests.
absl::StatusOr<TaskSpec> ParseTaskSpec(const std::string& text, const std::string& path);

// The torch dtype names a case or tolerance may use.
bool IsKnownDtype(const std::string& name);
bool IsFloatingDtype(const std::string& name);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_TASK_LOADER_H_
