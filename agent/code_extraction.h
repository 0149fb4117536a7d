// Pulls the candidate module out of a model's answer.
#ifndef TRITONBENCH_AGENT_CODE_EXTRACTION_H_
#define TRITONBENCH_AGENT_CODE_EXTRACTION_H_

#include <string>

#include "absl/status/statusor.h"

namespace tritonbench {

// The code of the answer's ```python (or ```py) fenced block; with several, the
// longest. Without any, an untagged ``` block that mentions triton. The result ends
// with one newline. InvalidArgument saying how long the answer was and how it starts
// when it holds no such block (or only empty ones).
absl::StatusOr<std::string> ExtractPythonCode(const std::string& answer);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_CODE_EXTRACTION_H_
