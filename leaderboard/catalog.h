// The suites a leaderboard ranks, and which release each result measured.
//
// A suite folder (suites/<suite>/) holds its tasks and releases.textproto
// (harness/proto/release.proto): every release with the content hash of each task. A
// result belongs to a release when its task_content_hash is that task's hash there; a
// task unchanged between releases belongs to each of them. A result whose task content
// matches no release is "unreleased": it is listed with the reason and never counted.
// For records older than task_content_hash (harness before 0.7.0), a run's results take
// the tree's task hashes when the run's suite_content_hash equals the ContentHash of the
// tree's copies of every task it evaluated (none changed since), else they are
// unreleased.
//
// A run whose own release fields contradict the manifest is refused whole (the build
// lists it with the file and the field): RunRecord.release naming no release of the
// suite, or one that does not list every result's task content;
// RunRecord.release_manifest_hash differing from that release's; a result's release
// naming a release that does not list its task content; a task_content_hash that is not
// 64 lower-case hex digits. "unreleased" in a record is no contradiction: a release may
// have been cut from those tasks since.
#ifndef TRITONBENCH_LEADERBOARD_CATALOG_H_
#define TRITONBENCH_LEADERBOARD_CATALOG_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/release.pb.h"
#include "leaderboard/proto/leaderboard.pb.h"
#include "leaderboard/run_loader.h"

namespace tritonbench {

struct SuiteCatalog {
  std::string name;  // the folder name, e.g. "rocm"
  std::string dir;   // <suites root>/<name>, as the root was spelled
  // Its manifest; no releases when it has none (then `no_releases` says why).
  SuiteReleases releases;
  std::string no_releases;
  std::map<std::string, std::string> tree_hashes;  // task id -> ContentHash of its folder
  std::map<std::string, std::string> task_dirs;    // task id -> its folder
  std::map<std::string, std::string> categories;   // task id -> TaskSpec.category
  // Tasks whose prompt shows their ground-truth kernel (TaskSpec.reference_in_prompt).
  std::set<std::string> reference_in_prompt;
  // Its tasks were imported from GEAK-eval (TaskSpec.upstream): results carry GEAK-eval's
  // verdict beside the strict one.
  bool upstream = false;
};

// Every suite folder under `suites_root` (one holding task folders), sorted by name.
// NotFound when `suites_root` holds none; InvalidArgument (file, line, field) for a
// releases.textproto that does not parse or check (harness/release.h ParseReleases) or
// a task.textproto that does not parse. A suite without a manifest is no error.
absl::StatusOr<std::vector<SuiteCatalog>> ReadSuiteCatalogs(const std::string& suites_root);

// The suites of several roots (this project's suites folder and an import's, see
// tools/import_upstream), sorted by name; a suite name found under two roots is an
// InvalidArgument naming both.
absl::StatusOr<std::vector<SuiteCatalog>> ReadSuiteCatalogs(const std::vector<std::string>& suites_roots);

// One run's results that belong to a release, in the record's order.
struct ReleaseRun {
  const LoadedRun* run = nullptr;
  std::vector<const EvaluationResult*> results;
};

struct ReleaseMeasurements {
  const SuiteCatalog* suite = nullptr;
  const Release* release = nullptr;
  // Runs with at least one result in the release, in loaded order.
  std::vector<ReleaseRun> runs;
};

struct Placement {
  // Every release of every suite, suites in catalog order, newest release first.
  std::vector<ReleaseMeasurements> releases;
  // Per run (and reason): results that belong to no release.
  std::vector<UnreleasedResults> unreleased;
  // Runs refused whole, with the file and the field that contradicts the manifest.
  std::vector<SkippedRecord> refused;
};

// Places every result of `loaded` (see above). Pointers refer into `loaded` and `catalogs`.
Placement PlaceResults(const LoadedRuns& loaded, const std::vector<SuiteCatalog>& catalogs);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_CATALOG_H_
