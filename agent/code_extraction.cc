#include "agent/code_extraction.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace tritonbench {
namespace {

struct Block {
  std::string tag;
  std::string code;
};

// Every ``` fenced block: its tag (the word after the opening fence) and its body.
// An unterminated last block runs to the end of the answer.
std::vector<Block> FencedBlocks(absl::string_view text) {
  std::vector<Block> blocks;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("```", pos);
    if (open == absl::string_view::npos) break;
    size_t line_end = text.find('\n', open);
    if (line_end == absl::string_view::npos) break;
    Block block;
    block.tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text.substr(open + 3, line_end - open - 3)));
    size_t close = text.find("```", line_end + 1);
    absl::string_view body =
        text.substr(line_end + 1, close == absl::string_view::npos ? absl::string_view::npos : close - line_end - 1);
    block.code = std::string(body);
    blocks.push_back(std::move(block));
    if (close == absl::string_view::npos) break;
    pos = close + 3;
  }
  return blocks;
}

}  // namespace

absl::StatusOr<std::string> ExtractPythonCode(const std::string& answer) {
  const std::string text = absl::StrReplaceAll(answer, {{"\r\n", "\n"}});
  std::string best;
  std::string untagged;
  for (const Block& b : FencedBlocks(text)) {
    if (absl::StripAsciiWhitespace(b.code).empty()) continue;
    if (b.tag == "python" || b.tag == "py" || b.tag == "python3") {
      if (b.code.size() > best.size()) best = b.code;
    } else if (b.tag.empty() && absl::StrContains(b.code, "triton") && b.code.size() > untagged.size()) {
      untagged = b.code;
    }
  }
  if (best.empty()) best = untagged;
  if (best.empty()) {
    std::string start(absl::StripAsciiWhitespace(text).substr(0, 80));
    return absl::InvalidArgumentError(absl::StrCat("no ```python block in the model's answer (", text.size(),
                                                   " characters, starting \"", absl::CEscape(start), "\")"));
  }
  while (!best.empty() && (best.back() == '\n' || best.back() == ' ')) best.pop_back();
  return best + "\n";
}

}  // namespace tritonbench
