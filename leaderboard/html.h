// The leaderboard as one self-contained static HTML page: no external scripts, styles
// or fonts. The Leaderboard JSON is embedded in the page and drawn by inline
// JavaScript: a sortable table per suite (click a header; or open the page with
// #sort=<column>:<asc|desc>), a per-task drill-down (click a row; or #open=<row key>),
// and SVG plots: execution accuracy and speedup per row, and execution accuracy
// against LLM calls spent. When the script has drawn everything it sets
// data-rendered="true" on <body>; a script error is written into #render-error.
#ifndef TRITONBENCH_LEADERBOARD_HTML_H_
#define TRITONBENCH_LEADERBOARD_HTML_H_

#include <string>

#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

std::string RenderHtml(const Leaderboard& board);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_HTML_H_
