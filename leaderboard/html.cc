#include "leaderboard/html.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "leaderboard/json_io.h"
#include "leaderboard/page_assets.h"

namespace tritonbench {
namespace {

std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

}  // namespace

std::string RenderHtml(const Leaderboard& board, const std::string& link_base) {
  std::string title = "Triton kernel leaderboard";
  if (board.version() > 0) {
    absl::StrAppend(&title, ": version ", absl::StrFormat("%04d", board.version()));
    if (!board.published_at().empty()) absl::StrAppend(&title, " (", board.published_at(), ")");
  }
  // Inside <script>, "</" or "<!--" could end or confuse the element; "\u003c" is the
  // same character to JSON.
  const std::string json = absl::StrReplaceAll(LeaderboardToJson(board, /*pretty=*/false), {{"<", "\\u003c"}});
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      Escape(title), "</title>\n<style>\n", kPageStyle, "</style>\n</head>\n<body>\n<main>\n<h1>", Escape(title),
      "</h1>\n<p id=\"render-error\"></p>\n<noscript>This page draws its tables with JavaScript; "
      "leaderboard.md holds the same figures.</noscript>\n<div id=\"app\"></div>\n</main>\n"
      "<script id=\"leaderboard-data\" type=\"application/json\" data-link-base=\"",
      Escape(link_base), "\">", json, "</script>\n<script>\n", kPageScript, "</script>\n</body>\n</html>\n");
}

}  // namespace tritonbench
