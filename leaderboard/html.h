// The leaderboard as one self-contained static HTML page: no external scripts, styles
// or fonts; it opens from disk. The Leaderboard JSON is embedded in the page and drawn
// by leaderboard/page/leaderboard.js with leaderboard/page/leaderboard.css (both
// embedded at build time, see the page_assets genrule): per suite release, the
// ranking (sortable; #sort=<column>:<asc|desc>), a row's per-task drill-down (click;
// #open=<row key>), inline SVG charts, the per-category table and the per-task matrix.
// When the script has drawn everything it sets data-rendered="true" on <body>; a
// script error is written into #render-error.
#ifndef TRITONBENCH_LEADERBOARD_HTML_H_
#define TRITONBENCH_LEADERBOARD_HTML_H_

#include <string>

#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

// `link_base` is put before the relative paths the board holds (kernels, candidate
// files, run records) to make links from where the page will live: e.g. "../../../"
// for leaderboard/versions/NNNN/ when the paths are relative to the repository root.
std::string RenderHtml(const Leaderboard& board, const std::string& link_base = "");

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_HTML_H_
