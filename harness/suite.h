// A suite is a folder of task folders (suites/<suite>/<task>/task.textproto).
#ifndef TRITONBENCH_HARNESS_SUITE_H_
#define TRITONBENCH_HARNESS_SUITE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tritonbench {

// Task folders directly under `suite_dir` that hold a task.textproto, sorted by name.
absl::StatusOr<std::vector<std::string>> ListTaskDirs(const std::string& suite_dir);

// SHA-256 (hex) over the regular files directly inside each folder, in sorted order,
// each fed as "<folder name>/<file name>\0<size>\0<bytes>". Equal contents give equal
// hashes wherever the folders live; any edit, addition or removal changes it.
// With `per_dir`, each folder's own ContentHash({dir}) too, keyed by folder name, from the
// same single read of the files.
absl::StatusOr<std::string> ContentHash(const std::vector<std::string>& dirs,
                                        std::map<std::string, std::string>* per_dir = nullptr);

// SHA-256 (hex) of one file's bytes.
absl::StatusOr<std::string> FileSha256(const std::string& path);

// SHA-256 (hex) of `bytes`.
std::string Sha256Hex(const std::string& bytes);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_SUITE_H_
