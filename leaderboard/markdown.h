// The leaderboard as Markdown, for the README and release notes: one table per suite
// (measured rows, then reported rows marked as such, with their sources), per-task
// tables, the skipped records with their reasons, the definitions and how to
// reproduce each row. Absent figures print as "-".
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

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_MARKDOWN_H_
