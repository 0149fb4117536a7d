// Strict reads from a parsed provider response: a missing field or one of the wrong
// type is an error naming its path ("choices[0].message.content"), never a crash.
#ifndef TRITONBENCH_AGENT_LLM_JSON_FIELDS_H_
#define TRITONBENCH_AGENT_LLM_JSON_FIELDS_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tritonbench {

// Parses `body` as JSON: DataLoss naming `what` (e.g. "openai response") and the
// parser's complaint when it is not JSON (a malformed or truncated body).
absl::StatusOr<nlohmann::json> ParseJsonBody(const std::string& body, absl::string_view what);

// The value at `path` under `root`: dot-separated object keys, "[i]" for array
// elements, e.g. "choices[0].message.content". DataLoss "<what>: missing field <path>"
// (or "... field <path> is not an object/array") when the path does not resolve.
absl::StatusOr<const nlohmann::json*> JsonAt(const nlohmann::json& root, absl::string_view path,
                                             absl::string_view what);

// JsonAt that also checks the type; a null string reads as "".
absl::StatusOr<std::string> JsonString(const nlohmann::json& root, absl::string_view path, absl::string_view what);
absl::StatusOr<int64_t> JsonInt(const nlohmann::json& root, absl::string_view path, absl::string_view what);
absl::StatusOr<const nlohmann::json*> JsonArray(const nlohmann::json& root, absl::string_view path,
                                                absl::string_view what);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_JSON_FIELDS_H_
