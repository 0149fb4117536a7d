// The leaderboard as Markdown, for the README and release notes. Per suite release:
// the ranking (model rows, reference rows, reported rows, each its own table), the
// rows' notes, the per-category and per-task tables; then the results that belong to
// no release, the skipped records with their reasons, and the definitions. Absent
// figures print as "-".
#ifndef TRITONBENCH_LEADERBOARD_MARKDOWN_H_
#define TRITONBENCH_LEADERBOARD_MARKDOWN_H_

#include <string>

#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

std::string RenderMarkdown(const Leaderboard& board);

// Formatting shared by the text outputs: "54.9%", "1.23x", "1.23x [1.10, 1.40]", "-";
// speedups below 0.1 with two significant digits ("0.0011x").
std::string FormatShare(double share);
std::string FormatSpeedup(double speedup);
std::string FormatEstimate(const Estimate& e);

// "rocm 1.0 · zero_shot · model-a · GPU" ("(reported) ..." for reported rows; older
// versions' rows name their suite version instead of a release).
std::string RowName(const Row& row);

// Whether a reported row belongs beside the measured rows of `suite`: its suite is
// that suite, or a '+'-joined list naming it ("tritonbench_revised+rocm").
bool ReportedRowCovers(const Row& row, const std::string& suite);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_MARKDOWN_H_
