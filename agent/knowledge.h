// Knowledge injection: the hardware notes and the Triton guidance written under
// agent/knowledge/, joined for a prompt.
#ifndef TRITONBENCH_AGENT_KNOWLEDGE_H_
#define TRITONBENCH_AGENT_KNOWLEDGE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace tritonbench {

// `dir`/<hardware>.md followed by `dir`/triton_guidance.md. NotFound naming the file
// when the hardware has no notes (known: MI300, H100). With `files`, the two files'
// bytes too, keyed by name in `dir` (what the run's provenance hashes).
absl::StatusOr<std::string> LoadKnowledge(const std::string& dir, const std::string& hardware,
                                          std::map<std::string, std::string>* files = nullptr);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_KNOWLEDGE_H_
