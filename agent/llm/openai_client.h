// OpenAI-compatible chat completions: api.openai.com and every server that speaks its
// wire format (vLLM, SGLang, Ollama, ...). POST {base}/v1/chat/completions (a base
// ending in /v1, as vLLM and SGLang document it, is taken as is) with
// "Authorization: Bearer <key>" (no header when the key is empty).
#ifndef TRITONBENCH_AGENT_LLM_OPENAI_CLIENT_H_
#define TRITONBENCH_AGENT_LLM_OPENAI_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/llm/client_common.h"
#include "agent/llm/provider.h"

namespace tritonbench {

inline constexpr char kOpenAiDefaultBaseUrl[] = "https://api.openai.com";

// The request body: model, messages (role system/user/assistant), and temperature,
// max_tokens, stop, seed when set.
std::string BuildOpenAiBody(const ChatRequest& request);

// choices[0].message.content (null reads as ""), choices[0].finish_reason,
// usage.prompt_tokens, usage.completion_tokens, model. DataLoss naming the field that
// is missing or mistyped, or saying the body is not JSON.
absl::StatusOr<ChatResponse> ParseOpenAiResponse(const std::string& body);

class OpenAiClient : public LlmProvider {
 public:
  explicit OpenAiClient(ClientOptions options) : options_(std::move(options)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return "openai"; }

 private:
  ClientOptions options_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_OPENAI_CLIENT_H_
