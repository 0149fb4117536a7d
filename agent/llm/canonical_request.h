// The canonical serialisation of a chat request and its SHA-256: the key under which
// record/replay stores an answer. Two requests get the same key exactly when they
// name the same provider and model and carry the same messages and parameters;
// where the request goes (base URL) and with which key do not count.
#ifndef TRITONBENCH_AGENT_LLM_CANONICAL_REQUEST_H_
#define TRITONBENCH_AGENT_LLM_CANONICAL_REQUEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

// Compact JSON with sorted keys, unset optional fields left out, doubles written in
// their shortest round-trip form; versioned ("v": 1) so a format change is visible.
std::string CanonicalRequest(absl::string_view provider, const ChatRequest& request);

// Lower-case hex SHA-256 of CanonicalRequest.
std::string RequestHash(absl::string_view provider, const ChatRequest& request);

// Lower-case hex SHA-256 of any bytes.
std::string Sha256Hex(absl::string_view bytes);

// One line for error messages: provider, model, message count and the start of the
// last message, e.g. `openai/gpt-4o, 2 messages, last (user): "Write a Triton ..."`.
std::string RequestSummary(absl::string_view provider, const ChatRequest& request);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_CANONICAL_REQUEST_H_
