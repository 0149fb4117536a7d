// Small file-system helpers every layer shares.
#ifndef TRITONBENCH_COMMON_FILES_H_
#define TRITONBENCH_COMMON_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tritonbench {

// The whole file as bytes; NotFound naming `path` when it cannot be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Replaces the file's contents; Internal naming `path` on failure.
absl::Status WriteFile(const std::string& path, const std::string& bytes);

// Writes `path`.tmp, then renames it over `path`: a reader (or a crash) sees the old
// contents or the new ones, never a part. Internal naming the file on failure.
absl::Status WriteFileAtomically(const std::string& path, const std::string& bytes);

bool IsRegularFile(const std::string& path);
bool IsDirectory(const std::string& path);

// The last component of `path`, ignoring one trailing '/': "a/b/" -> "b".
std::string BaseName(const std::string& path);

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_FILES_H_
