// The Anthropic Messages API: POST {base}/v1/messages with "x-api-key" and
// "anthropic-version" headers. System messages go into the top-level "system" field
// (joined by blank lines); Anthropic has no seed, so a request's seed is not sent.
#ifndef TRITONBENCH_AGENT_LLM_ANTHROPIC_CLIENT_H_
#define TRITONBENCH_AGENT_LLM_ANTHROPIC_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/llm/client_common.h"
#include "agent/llm/provider.h"

namespace tritonbench {

inline constexpr char kAnthropicDefaultBaseUrl[] = "https://api.anthropic.com";
inline constexpr char kAnthropicVersion[] = "2023-06-01";
// The API requires max_tokens; used when the request leaves it unset.
inline constexpr int kAnthropicDefaultMaxTokens = 4096;

std::string BuildAnthropicBody(const ChatRequest& request);

// The text of every content[] block of type "text", joined; stop_reason;
// usage.input_tokens, usage.output_tokens; model. DataLoss naming the field otherwise.
absl::StatusOr<ChatResponse> ParseAnthropicResponse(const std::string& body);

class AnthropicClient : public LlmProvider {
 public:
  explicit AnthropicClient(ClientOptions options) : options_(std::move(options)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return "anthropic"; }

 private:
  ClientOptions options_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_ANTHROPIC_CLIENT_H_
