// What the command-line tools (tools/*.cc) share. Flags stay in the tools; these
// helpers take the flags' values.
#ifndef TRITONBENCH_COMMON_CLI_H_
#define TRITONBENCH_COMMON_CLI_H_

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

// A path from the command line, taken from where the user stood, also under `bazel
// run` (which starts the binary elsewhere and names that folder in
// BUILD_WORKING_DIRECTORY). Absolute and empty paths are returned as they are.
std::string UserPath(const std::string& path);

// Under `bazel run`, changes to where the user stood, so that every path of the command
// line (and what the tool prints of them) reads as typed. False, saying why on stderr
// prefixed with `program`, when it cannot.
bool EnterUserDirectory(absl::string_view program);

// The Python with torch and triton that runs the harness's worker: `flag` when given,
// else $TB_PYTHON when set and not empty, else "python3".
std::string PythonInterpreter(const std::string& flag);

// From now on SIGINT, SIGTERM and SIGHUP set *stop (which must outlive the process)
// instead of ending it: the tool stops its evaluations and keeps what finished.
void StopOnSignals(std::atomic<bool>* stop);

// One line naming the device a run measures on, e.g. "NVIDIA H100 80GB HBM3 (cuda 12.8,
// driver 570.1), torch 2.10.0, triton 3.6.0, python 3.12.3".
std::string EnvironmentLine(const Environment& env);

// Prints "<program>: <message>" on stderr and returns `exit_code`.
int ReportError(absl::string_view program, const absl::Status& status, int exit_code);

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_CLI_H_
