// Checking a suite's tree against its newest release, and cutting a new release:
// what tools/release does (`release check`, `release cut`). A release is cut by
// appending it to suites/<suite>/releases.textproto and adding its section to
// suites/<suite>/CHANGELOG.md (newest first), where the author then says why each
// task changed.
#ifndef TRITONBENCH_HARNESS_RELEASE_CUT_H_
#define TRITONBENCH_HARNESS_RELEASE_CUT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/release.pb.h"

namespace tritonbench {

// The changelog's file name inside a suite folder.
inline constexpr char kChangelogFile[] = "CHANGELOG.md";

// Task ids that differ between a release and the tree, each list sorted.
struct TaskDiff {
  std::vector<std::string> added;    // in the tree, not in the release
  std::vector<std::string> removed;  // in the release, not in the tree
  std::vector<std::string> changed;  // in both, with another content hash
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

// What changed from `release` (nullptr: there is none yet, every task is added) to
// `tree` (task id -> content hash, as TreeTaskHashes gives it).
TaskDiff DiffTasks(const Release* release, const std::map<std::string, std::string>& tree);

// A release of `tree`'s tasks, sorted by id, with its manifest_hash.
Release MakeRelease(const std::string& name, const std::string& date, const std::string& summary,
                    const std::map<std::string, std::string>& tree);

// The manifest file's text: a header comment, then each release with one task per
// line. Deterministic: equal manifests give equal bytes, and ParseReleases reads it back.
std::string FormatReleases(const SuiteReleases& releases);

// "1.0" -> "1.1", "2.9" -> "2.10": the name to suggest after `name`; "" when `name`
// does not end in a number.
std::string NextReleaseName(const std::string& name);

// The CHANGELOG.md section of `release`: heading "## <name> (<date>)", its summary and
// the tasks added, removed and changed since `previous` (nullptr for the first
// release: how many tasks it holds).
std::string ChangelogSection(const Release& release, const Release* previous);

// `changelog` with `section` put first among the release sections (after the title and
// any text before the first "## " heading); for an empty `changelog`, a new file for
// `suite`. With `replace`, the section of that release (its heading to the next "## "
// heading) is replaced instead.
std::string AddChangelogSection(const std::string& changelog, const std::string& suite, const std::string& section,
                                const std::string& replace = "");

// Whether `changelog` has a heading for release `name`: a line "## <name>", alone or
// followed by a space.
bool HasChangelogHeading(const std::string& changelog, const std::string& name);

// One suite folder compared with its newest release.
struct SuiteCheck {
  std::string suite_dir;
  // The newest release's name and its task count.
  std::string release;
  int release_tasks = 0;
  TaskDiff diff;
  // Releases of the manifest without a heading in CHANGELOG.md (or every release when
  // the file is missing).
  std::vector<std::string> missing_changelog;
  bool ok() const { return diff.empty() && missing_changelog.empty(); }
};

// Compares the suite's task folders with the newest release of its manifest and checks
// that CHANGELOG.md has a heading for every release. Errors: no task folders, no
// manifest (NotFound naming the file), a malformed manifest, a manifest with no release.
absl::StatusOr<SuiteCheck> CheckSuite(const std::string& suite_dir);

// What `release check` prints for one suite: one line when it is in order; else the
// tasks changed, added and removed since the release, the missing changelog headings,
// and the command that cuts the next release.
std::string CheckReport(const SuiteCheck& check);

struct CutOptions {
  std::string suite_dir;
  std::string name;
  std::string summary;
  // YYYY-MM-DD.
  std::string date;
  // Replace the newest release (its name unless `name` is given, its summary unless
  // `summary` is given) and its changelog section: for a release that is not yet in
  // use, re-cut after its tasks changed.
  bool amend = false;
};

// Appends a release of the suite's tasks as they are now to its manifest (created if
// absent; written atomically) and adds its section to CHANGELOG.md. Refused
// (FailedPrecondition) when the name is taken, when the tree equals the newest release
// (nothing to release), or when the changelog already has a heading of that name;
// InvalidArgument for an empty name or summary, or a date not YYYY-MM-DD. Returns the
// release written.
absl::StatusOr<Release> CutRelease(const CutOptions& options);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_RELEASE_CUT_H_
