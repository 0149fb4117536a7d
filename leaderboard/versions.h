// Published leaderboard versions: <versions_dir>/NNNN/ holds leaderboard.md,
// leaderboard.json and leaderboard.html as they were on publication, and
// <versions_dir>/CHANGELOG.md one line per version. A published version is never
// rewritten.
#ifndef TRITONBENCH_LEADERBOARD_VERSIONS_H_
#define TRITONBENCH_LEADERBOARD_VERSIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

// Writes leaderboard.md, leaderboard.json and leaderboard.html into `dir` (created if
// needed; existing files of those names are replaced). The page links the files the
// board names (relative to the working directory) relatively when `dir` lies inside
// the working directory, else by absolute path.
absl::Status WriteLeaderboardFiles(const Leaderboard& board, const std::string& dir);

// What the page's links to `working_dir`-relative paths need in front when the page
// lives in `dir`: the way back ("../../../" for leaderboard/versions/0008) when `dir`
// lies inside `working_dir`, else `working_dir` itself, absolute, with a trailing '/'.
std::string LinkBase(const std::string& dir, const std::string& working_dir);

struct PublishOptions {
  std::string versions_dir;
  // One line for the changelog: what changed.
  std::string note;
  // YYYY-MM-DD, stamped into the version and the changelog.
  std::string date;
  // 0: one more than the highest published version.
  int version = 0;
};

// Publishes `board` as a new version (board.version and published_at are set) and
// appends its changelog line. AlreadyExists if that version's folder exists: nothing
// is written then. Returns the new version's folder.
absl::StatusOr<std::string> Publish(Leaderboard board, const PublishOptions& options);

// The highest published version in `versions_dir`; 0 when none.
int LatestVersion(const std::string& versions_dir);

// Reads a leaderboard: a leaderboard.json, a version folder, or a version number
// ("1", "0001") under `versions_dir`.
absl::StatusOr<Leaderboard> LoadLeaderboard(const std::string& ref, const std::string& versions_dir);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_VERSIONS_H_
