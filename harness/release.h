// Suite releases (harness/proto/release.proto): suites/<suite>/releases.textproto names
// every release of a suite and the content hash of each of its tasks, so that results
// measured months apart on the same task content are comparable, and results on edited
// tasks are never mixed into a release's rows.
#ifndef TRITONBENCH_HARNESS_RELEASE_H_
#define TRITONBENCH_HARNESS_RELEASE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "harness/proto/release.pb.h"

namespace tritonbench {

// The manifest's file name inside a suite folder.
inline constexpr char kReleasesFile[] = "releases.textproto";
// What a result or run is marked with when its tasks match no release.
inline constexpr char kUnreleased[] = "unreleased";

// SHA-256 (hex) over "<id>\0<content_hash>\n" for the release's tasks, in their order.
std::string ManifestHash(const Release& release);

// Parses and checks a manifest: the suite name, release names unique and non-empty,
// dates YYYY-MM-DD and never before the previous release's, each release's tasks
// sorted by id without repeats, hashes 64 hex digits, manifest_hash equal to
// ManifestHash. Errors name `path`, the line and the field.
absl::StatusOr<SuiteReleases> ParseReleases(const std::string& text, const std::string& path);

// Reads `suite_dir`/releases.textproto; NotFound when the suite has none. Its `suite`
// must equal the folder's name.
absl::StatusOr<SuiteReleases> LoadReleases(const std::string& suite_dir);

// The suite's tasks as they are in the tree: id -> ContentHash of the task folder.
absl::StatusOr<std::map<std::string, std::string>> TreeTaskHashes(const std::string& suite_dir);

// The newest release that lists `task_id` with `content_hash`; nullptr if none does.
const Release* ReleaseOfTask(const SuiteReleases& releases, const std::string& task_id,
                             const std::string& content_hash);

// The newest release that lists every task of `measured` (id -> content hash) with that
// hash; nullptr if none does (the run is unreleased). A run may measure some of a
// release's tasks: coverage is the reader's business.
const Release* ReleaseOfTasks(const SuiteReleases& releases,
                              const std::map<std::string, std::string>& measured);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_RELEASE_H_
