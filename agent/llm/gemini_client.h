// The Gemini generateContent API: POST {base}/v1beta/models/{model}:generateContent with
// an "x-goog-api-key" header. System messages become systemInstruction; assistant
// turns have role "model"; temperature, max tokens, stop and seed go into
// generationConfig.
#ifndef TRITONBENCH_AGENT_LLM_GEMINI_CLIENT_H_
#define TRITONBENCH_AGENT_LLM_GEMINI_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/llm/client_common.h"
#include "agent/llm/provider.h"

namespace tritonbench {

inline constexpr char kGeminiDefaultBaseUrl[] = "https://generativelanguage.googleapis.com";

std::string BuildGeminiBody(const ChatRequest& request);

// The path for `model` ("gemini-x" or "models/gemini-x").
std::string GeminiPath(const std::string& model);

// candidates[0].content.parts[].text joined; candidates[0].finishReason;
// usageMetadata.promptTokenCount and candidatesTokenCount; modelVersion when present.
// DataLoss naming the field otherwise.
absl::StatusOr<ChatResponse> ParseGeminiResponse(const std::string& body);

class GeminiClient : public LlmProvider {
 public:
  explicit GeminiClient(ClientOptions options) : options_(std::move(options)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return "gemini"; }

 private:
  ClientOptions options_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_GEMINI_CLIENT_H_
