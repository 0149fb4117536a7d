// The one interface every LLM provider (and every layer around one: retries, rate
// limits, recording, replay) implements.
#ifndef TRITONBENCH_AGENT_LLM_PROVIDER_H_
#define TRITONBENCH_AGENT_LLM_PROVIDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

class LlmProvider {
 public:
  virtual ~LlmProvider() = default;

  // Sends one chat request and returns the answer with its usage and latency. Errors
  // name what failed (URL, HTTP status, the provider's message, the missing field) and
  // never contain an API key. Codes that a retry may cure: ResourceExhausted (429),
  // Unavailable (5xx, transport), DeadlineExceeded (timeout). Thread-safe.
  virtual absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) = 0;

  // "openai", "anthropic" or "gemini": the wire format, part of the transcript key.
  virtual std::string name() const = 0;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_PROVIDER_H_
