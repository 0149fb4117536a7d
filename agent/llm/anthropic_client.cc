#include "agent/llm/anthropic_client.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "agent/llm/json_fields.h"

namespace tritonbench {
namespace {

constexpr char kWhat[] = "anthropic response";

}  // namespace

std::string BuildAnthropicBody(const ChatRequest& request) {
  nlohmann::json body;
  body["model"] = request.model();
  std::string system;
  body["messages"] = nlohmann::json::array();
  for (const auto& m : request.messages()) {
    if (m.role() == ChatMessage::SYSTEM) {
      absl::StrAppend(&system, system.empty() ? "" : "\n\n", m.content());
      continue;
    }
    body["messages"].push_back(
        {{"role", m.role() == ChatMessage::ASSISTANT ? "assistant" : "user"}, {"content", m.content()}});
  }
  if (!system.empty()) body["system"] = system;
  body["max_tokens"] = request.has_max_tokens() ? request.max_tokens() : kAnthropicDefaultMaxTokens;
  if (request.has_temperature()) body["temperature"] = request.temperature();
  if (request.stop_size() > 0) {
    body["stop_sequences"] = std::vector<std::string>(request.stop().begin(), request.stop().end());
  }
  return body.dump();
}

absl::StatusOr<ChatResponse> ParseAnthropicResponse(const std::string& body) {
  auto json = ParseJsonBody(body, kWhat);
  if (!json.ok()) return json.status();
  auto content = JsonArray(*json, "content", kWhat);
  if (!content.ok()) return content.status();
  std::string text;
  for (size_t i = 0; i < (*content)->size(); ++i) {
    std::string block = absl::StrCat("content[", i, "]");
    auto type = JsonString(*json, absl::StrCat(block, ".type"), kWhat);
    if (!type.ok()) return type.status();
    if (*type != "text") continue;  // thinking, tool_use, ...: not part of the answer
    auto part = JsonString(*json, absl::StrCat(block, ".text"), kWhat);
    if (!part.ok()) return part.status();
    text += *part;
  }
  auto stop = JsonString(*json, "stop_reason", kWhat);
  if (!stop.ok()) return stop.status();
  auto input = JsonInt(*json, "usage.input_tokens", kWhat);
  if (!input.ok()) return input.status();
  auto output = JsonInt(*json, "usage.output_tokens", kWhat);
  if (!output.ok()) return output.status();
  auto model = JsonString(*json, "model", kWhat);
  if (!model.ok()) return model.status();
  ChatResponse response;
  response.set_text(text);
  response.set_finish_reason(*stop);
  response.mutable_usage()->set_prompt_tokens(*input);
  response.mutable_usage()->set_completion_tokens(*output);
  response.set_model(*model);
  return response;
}

absl::StatusOr<ChatResponse> AnthropicClient::Chat(const ChatRequest& request) {
  std::vector<std::pair<std::string, std::string>> headers = {{"anthropic-version", kAnthropicVersion}};
  if (!options_.api_key.empty()) headers.emplace_back("x-api-key", options_.api_key);
  return PostChat(name(), ApiUrl(options_.base_url, "/v1", "/messages"), std::move(headers),
                  BuildAnthropicBody(request), options_, ParseAnthropicResponse);
}

}  // namespace tritonbench
