// The generator: N candidates from one prompt, asked in parallel, each extracted from
// the answer and written to its own file.
#ifndef TRITONBENCH_AGENT_GENERATOR_H_
#define TRITONBENCH_AGENT_GENERATOR_H_

#include <optional>
#include <string>
#include <vector>

#include "agent/llm_caller.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

struct GeneratedCandidate {
  // <dir>/<stem>_c<i>.py; holds the extracted code, or nothing when `error` is set.
  std::string path;
  std::string code;
  // Why there is no code: the call failed, or the answer held no ```python block.
  absl::Status error;
  LlmCall call;
};

// Asks `n` times with `messages` (at `temperature`, default the model's), writes
// each candidate's code to its file (the raw answer beside it as .answer.txt) and
// returns them: answered calls first, ordered by answer text (the requests are
// identical, so this order, unlike completion order, is reproducible). Fails only
// when a file cannot be written.
absl::StatusOr<std::vector<GeneratedCandidate>> Generate(LlmCaller& llm, const std::vector<ChatMessage>& messages,
                                                         int n, std::optional<double> temperature,
                                                         const std::string& dir, const std::string& stem);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_GENERATOR_H_
