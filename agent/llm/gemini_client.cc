#include "agent/llm/gemini_client.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/llm/json_fields.h"

namespace tritonbench {
namespace {

constexpr char kWhat[] = "gemini response";

}  // namespace

std::string GeminiPath(const std::string& model) {
  absl::string_view name = model;
  absl::ConsumePrefix(&name, "models/");
  return absl::StrCat("/v1beta/models/", name, ":generateContent");
}

std::string BuildGeminiBody(const ChatRequest& request) {
  nlohmann::json body;
  nlohmann::json system_parts = nlohmann::json::array();
  body["contents"] = nlohmann::json::array();
  for (const auto& m : request.messages()) {
    nlohmann::json part = {{"text", m.content()}};
    if (m.role() == ChatMessage::SYSTEM) {
      system_parts.push_back(part);
      continue;
    }
    body["contents"].push_back(
        {{"role", m.role() == ChatMessage::ASSISTANT ? "model" : "user"}, {"parts", nlohmann::json::array({part})}});
  }
  if (!system_parts.empty()) body["systemInstruction"] = {{"parts", system_parts}};
  nlohmann::json config = nlohmann::json::object();
  if (request.has_temperature()) config["temperature"] = request.temperature();
  if (request.has_max_tokens()) config["maxOutputTokens"] = request.max_tokens();
  if (request.stop_size() > 0) {
    config["stopSequences"] = std::vector<std::string>(request.stop().begin(), request.stop().end());
  }
  if (request.has_seed()) config["seed"] = request.seed();
  if (!config.empty()) body["generationConfig"] = config;
  return body.dump();
}

absl::StatusOr<ChatResponse> ParseGeminiResponse(const std::string& body) {
  auto json = ParseJsonBody(body, kWhat);
  if (!json.ok()) return json.status();
  auto parts = JsonArray(*json, "candidates[0].content.parts", kWhat);
  if (!parts.ok()) return parts.status();
  std::string text;
  for (size_t i = 0; i < (*parts)->size(); ++i) {
    const nlohmann::json& part = (**parts)[i];
    if (part.is_object() && part.contains("thought") && part["thought"] == true) continue;
    auto piece = JsonString(*json, absl::StrCat("candidates[0].content.parts[", i, "].text"), kWhat);
    if (!piece.ok()) return piece.status();
    text += *piece;
  }
  auto finish = JsonString(*json, "candidates[0].finishReason", kWhat);
  if (!finish.ok()) return finish.status();
  auto prompt = JsonInt(*json, "usageMetadata.promptTokenCount", kWhat);
  if (!prompt.ok()) return prompt.status();
  auto completion = JsonInt(*json, "usageMetadata.candidatesTokenCount", kWhat);
  if (!completion.ok()) return completion.status();
  ChatResponse response;
  response.set_text(text);
  response.set_finish_reason(*finish);
  response.mutable_usage()->set_prompt_tokens(*prompt);
  response.mutable_usage()->set_completion_tokens(*completion);
  if (json->contains("modelVersion")) {
    auto model = JsonString(*json, "modelVersion", kWhat);
    if (!model.ok()) return model.status();
    response.set_model(*model);
  }
  return response;
}

absl::StatusOr<ChatResponse> GeminiClient::Chat(const ChatRequest& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options_.api_key.empty()) headers.emplace_back("x-goog-api-key", options_.api_key);
  auto response = PostChat(name(), JoinUrl(options_.base_url, GeminiPath(request.model())), std::move(headers),
                           BuildGeminiBody(request), options_, ParseGeminiResponse);
  if (response.ok() && response->model().empty()) response->set_model(request.model());
  return response;
}

}  // namespace tritonbench
