// What changed between two leaderboards (e.g. two published versions): rows that
// appeared, disappeared, or moved (rank within their suite release's table) or changed
// figures. Rows are matched by key (suite, release, configuration, model, hardware);
// versions published before suite releases key rows by suite version, so their rows
// all read as disappeared against a newer version.
#ifndef TRITONBENCH_LEADERBOARD_DIFF_H_
#define TRITONBENCH_LEADERBOARD_DIFF_H_

#include <string>
#include <vector>

#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

struct RowChange {
  Row before;
  Row after;
  // 1-based position within the row's suite release (older versions: suite).
  int rank_before = 0;
  int rank_after = 0;
};

struct LeaderboardDiff {
  std::vector<Row> appeared;
  std::vector<Row> disappeared;
  // Rows whose rank or figures (runs, tasks measured, call / execution accuracy,
  // speedups, fast_p, pass@k) differ.
  std::vector<RowChange> changed;
  int unchanged = 0;
};

LeaderboardDiff DiffLeaderboards(const Leaderboard& before, const Leaderboard& after);

// Markdown: a table for each of appeared, disappeared and changed, then the count of
// unchanged rows.
std::string RenderDiff(const LeaderboardDiff& diff, const std::string& before_name, const std::string& after_name);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_DIFF_H_
