#include "agent/llm/openai_client.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "agent/llm/json_fields.h"

namespace tritonbench {
namespace {

constexpr char kWhat[] = "openai response";

const char* RoleName(ChatMessage::Role role) {
  switch (role) {
    case ChatMessage::SYSTEM:
      return "system";
    case ChatMessage::ASSISTANT:
      return "assistant";
    default:
      return "user";
  }
}

}  // namespace

std::string BuildOpenAiBody(const ChatRequest& request) {
  nlohmann::json body;
  body["model"] = request.model();
  body["messages"] = nlohmann::json::array();
  for (const auto& m : request.messages()) {
    body["messages"].push_back({{"role", RoleName(m.role())}, {"content", m.content()}});
  }
  if (request.has_temperature()) body["temperature"] = request.temperature();
  if (request.has_max_tokens()) body["max_tokens"] = request.max_tokens();
  if (request.stop_size() > 0) body["stop"] = std::vector<std::string>(request.stop().begin(), request.stop().end());
  if (request.has_seed()) body["seed"] = request.seed();
  return body.dump();
}

absl::StatusOr<ChatResponse> ParseOpenAiResponse(const std::string& body) {
  auto json = ParseJsonBody(body, kWhat);
  if (!json.ok()) return json.status();
  ChatResponse response;
  auto text = JsonString(*json, "choices[0].message.content", kWhat);
  if (!text.ok()) return text.status();
  auto finish = JsonString(*json, "choices[0].finish_reason", kWhat);
  if (!finish.ok()) return finish.status();
  auto prompt = JsonInt(*json, "usage.prompt_tokens", kWhat);
  if (!prompt.ok()) return prompt.status();
  auto completion = JsonInt(*json, "usage.completion_tokens", kWhat);
  if (!completion.ok()) return completion.status();
  auto model = JsonString(*json, "model", kWhat);
  if (!model.ok()) return model.status();
  response.set_text(*text);
  response.set_finish_reason(*finish);
  response.mutable_usage()->set_prompt_tokens(*prompt);
  response.mutable_usage()->set_completion_tokens(*completion);
  response.set_model(*model);
  return response;
}

absl::StatusOr<ChatResponse> OpenAiClient::Chat(const ChatRequest& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options_.api_key.empty()) headers.emplace_back("Authorization", absl::StrCat("Bearer ", options_.api_key));
  return PostChat(name(), ApiUrl(options_.base_url, "/v1", "/chat/completions"), std::move(headers),
                  BuildOpenAiBody(request), options_, ParseOpenAiResponse);
}

}  // namespace tritonbench
