#include "agent/generator.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "agent/code_extraction.h"
#include "agent/parallel.h"
#include "harness/files.h"

namespace tritonbench {

absl::StatusOr<std::vector<GeneratedCandidate>> Generate(LlmCaller& llm, const std::vector<ChatMessage>& messages,
                                                         int n, std::optional<double> temperature,
                                                         const std::string& dir, const std::string& stem) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  std::vector<GeneratedCandidate> out(n);
  ParallelFor(n, n, [&](int i) {
    GeneratedCandidate& c = out[i];
    c.path = absl::StrCat(dir, "/", stem, "_c", i, ".py");
    c.call = llm.Chat(messages, temperature);
    if (!c.call.status.ok()) {
      c.error = c.call.status;
      return;
    }
    auto code = ExtractPythonCode(c.call.response.text());
    if (!code.ok()) {
      c.error = code.status();
      return;
    }
    c.code = *code;
  });
  for (auto& c : out) {
    if (!c.call.status.ok()) continue;
    if (auto s = WriteFile(c.path + ".answer.txt", c.call.response.text()); !s.ok()) return s;
    if (c.error.ok()) {
      if (auto s = WriteFile(c.path, c.code); !s.ok()) return s;
    }
  }
  return out;
}

}  // namespace tritonbench
