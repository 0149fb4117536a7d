// Published figures (reported.textproto, a ReportedFigures text proto): rows that a
// paper states, shown beside the measured rows and never aggregated with them.
#ifndef TRITONBENCH_LEADERBOARD_REPORTED_H_
#define TRITONBENCH_LEADERBOARD_REPORTED_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

// Parses the file; every row must name its suite, configuration and source.
// InvalidArgument names the file (and the parser's line and column) otherwise.
absl::StatusOr<std::vector<Row>> LoadReportedRows(const std::string& path);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_REPORTED_H_
