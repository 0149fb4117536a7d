// Helpers for tests of run folders (common/run_folder_test, harness/run_release_test).
#ifndef TRITONBENCH_COMMON_RUN_FOLDER_TESTING_H_
#define TRITONBENCH_COMMON_RUN_FOLDER_TESTING_H_

#include <filesystem>
#include <string>

#include "harness/proto/evaluation.pb.h"

namespace tritonbench {

// The file's contents, "" if it cannot be read.
std::string Read(const std::filesystem::path& path);

// `name` under the test's temporary folder, removed if it was there (not made).
std::filesystem::path FreshDir(const std::string& name);

// A result with only the fields a run folder's bookkeeping reads.
EvaluationResult Result(const std::string& id, bool call_ok, bool exec_ok, FailureKind kind);

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_RUN_FOLDER_TESTING_H_
