#include "agent/knowledge.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"

namespace tritonbench {

absl::StatusOr<std::string> LoadKnowledge(const std::string& dir, const std::string& hardware,
                                          std::map<std::string, std::string>* files) {
  const std::string hw_name = absl::StrCat(hardware, ".md");
  auto hw = ReadFile(absl::StrCat(dir, "/", hw_name));
  if (!hw.ok()) {
    return absl::NotFoundError(absl::StrCat("no hardware notes for '", hardware, "': ", hw.status().message()));
  }
  auto guidance = ReadFile(absl::StrCat(dir, "/triton_guidance.md"));
  if (!guidance.ok()) return guidance.status();
  if (files != nullptr) *files = {{hw_name, *hw}, {"triton_guidance.md", *guidance}};
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(*hw), "\n\n", absl::StripTrailingAsciiWhitespace(*guidance));
}

}  // namespace tritonbench
