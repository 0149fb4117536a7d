// The three clients over real HTTP against the scripted local server: the wire
// format each sends and parses, and every failure path (429 then success, 500,
// malformed and truncated bodies, a missing field, a slow answer past the timeout,
// an error that echoes the key), plus the factory's start-up checks.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/llm/anthropic_client.h"
#include "agent/llm/client_common.h"
#include "agent/llm/gemini_client.h"
#include "agent/llm/http_client.h"
#include "agent/llm/openai_client.h"
#include "agent/llm/provider_factory.h"
#include "agent/llm/retrying_provider.h"
#include "agent/testing/scripted_http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "sk-test-SECRET-1234567890";

struct Wire {
  std::string provider;
  std::string path;        // what the client POSTs to for model "m1"
  std::string key_header;  // lower-case
  std::string key_value;
  ScriptedResponse (*answer)(const std::string&, int, int);
  std::string usage_field;  // the prompt-token field, as errors name it
};

std::vector<Wire> Wires() {
  return {
      {"openai", "/v1/chat/completions", "authorization", absl::StrCat("Bearer ", kKey), OpenAiAnswer,
       "usage.prompt_tokens"},
      {"anthropic", "/v1/messages", "x-api-key", kKey, AnthropicAnswer, "usage.input_tokens"},
      {"gemini", "/v1beta/models/m1:generateContent", "x-goog-api-key", kKey, GeminiAnswer,
       "usageMetadata.promptTokenCount"},
  };
}

std::unique_ptr<LlmProvider> MakeClient(const std::string& provider, const std::string& base_url,
                                        absl::Duration timeout = absl::Seconds(10)) {
  ClientOptions options;
  options.base_url = base_url;
  options.api_key = kKey;
  options.timeout = timeout;
  if (provider == "openai") return std::make_unique<OpenAiClient>(options);
  if (provider == "anthropic") return std::make_unique<AnthropicClient>(options);
  return std::make_unique<GeminiClient>(options);
}

ChatRequest Request() {
  ChatRequest r;
  r.set_model("m1");
  auto* system = r.add_messages();
  system->set_role(ChatMessage::SYSTEM);
  system->set_content("You write Triton kernels.");
  auto* user = r.add_messages();
  user->set_role(ChatMessage::USER);
  user->set_content("Write vector_add.");
  r.set_temperature(0.25);
  r.set_max_tokens(256);
  r.add_stop("</kernel>");
  r.set_seed(7);
  return r;
}

ServerScript Script(const std::string& path, std::vector<ScriptedResponse> responses) {
  ServerScript script;
  Route* route = script.add_routes();
  route->set_path(path);
  for (auto& r : responses) *route->add_responses() = std::move(r);
  return script;
}

std::string Header(const RecordedRequest& r, const std::string& name) {
  for (const auto& h : r.headers()) {
    if (h.name() == name) return h.value();
  }
  return "";
}

class ClientTest : public ::testing::TestWithParam<Wire> {
 protected:
  void Serve(std::vector<ScriptedResponse> responses) {
    auto server = ScriptedHttpServer::Start(Script(GetParam().path, std::move(responses)));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }
  std::unique_ptr<ScriptedHttpServer> server_;
};

TEST_P(ClientTest, NormalAnswerParsedAndRequestInWireFormat) {
  const Wire& w = GetParam();
  Serve({w.answer("def vector_add(): pass", 31, 9)});
  auto response = MakeClient(w.provider, server_->base_url())->Chat(Request());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->text(), "def vector_add(): pass");
  EXPECT_EQ(response->usage().prompt_tokens(), 31);
  EXPECT_EQ(response->usage().completion_tokens(), 9);
  EXPECT_EQ(response->model(), "test-model");
  EXPECT_FALSE(response->finish_reason().empty());
  EXPECT_GT(response->latency_s(), 0);

  auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method(), "POST");
  EXPECT_EQ(Header(requests[0], w.key_header), w.key_value);
  EXPECT_EQ(Header(requests[0], "content-type"), "application/json");
  auto body = nlohmann::json::parse(requests[0].body());
  if (w.provider == "openai") {
    EXPECT_EQ(body["model"], "m1");
    EXPECT_EQ(body["messages"][0]["role"], "system");
    EXPECT_EQ(body["messages"][1]["content"], "Write vector_add.");
    EXPECT_EQ(body["temperature"], 0.25);
    EXPECT_EQ(body["max_tokens"], 256);
    EXPECT_EQ(body["stop"][0], "</kernel>");
    EXPECT_EQ(body["seed"], 7);
  } else if (w.provider == "anthropic") {
    EXPECT_EQ(Header(requests[0], "anthropic-version"), kAnthropicVersion);
    EXPECT_EQ(body["model"], "m1");
    EXPECT_EQ(body["system"], "You write Triton kernels.");
    ASSERT_EQ(body["messages"].size(), 1u);
    EXPECT_EQ(body["messages"][0]["role"], "user");
    EXPECT_EQ(body["max_tokens"], 256);
    EXPECT_EQ(body["stop_sequences"][0], "</kernel>");
    EXPECT_FALSE(body.contains("seed"));
  } else {
    EXPECT_EQ(body["systemInstruction"]["parts"][0]["text"], "You write Triton kernels.");
    EXPECT_EQ(body["contents"][0]["role"], "user");
    EXPECT_EQ(body["contents"][0]["parts"][0]["text"], "Write vector_add.");
    EXPECT_EQ(body["generationConfig"]["temperature"], 0.25);
    EXPECT_EQ(body["generationConfig"]["maxOutputTokens"], 256);
    EXPECT_EQ(body["generationConfig"]["stopSequences"][0], "</kernel>");
    EXPECT_EQ(body["generationConfig"]["seed"], 7);
  }
}

TEST_P(ClientTest, TooManyRequestsThenSuccessHonoursRetryAfter) {
  const Wire& w = GetParam();
  Serve({ErrorAnswer(429, "slow down", {{"Retry-After", "2"}}), w.answer("ok", 1, 1)});
  std::vector<absl::Duration> waits;
  RetryPolicy policy;
  policy.initial_backoff = absl::Milliseconds(1);
  policy.sleep = [&](absl::Duration d) { waits.push_back(d); };
  RetryingProvider provider(MakeClient(w.provider, server_->base_url()), policy);
  auto response = provider.Chat(Request());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->text(), "ok");
  EXPECT_EQ(response->retries(), 1);
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0], absl::Seconds(2));  // Retry-After, not the 1 ms backoff
  EXPECT_EQ(server_->requests().size(), 2u);
}

TEST_P(ClientTest, ServerErrorRetriedThenReportedWithStatusAndMessage) {
  const Wire& w = GetParam();
  Serve({ErrorAnswer(500, "the model is overloaded")});
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.initial_backoff = absl::Milliseconds(1);
  policy.sleep = [](absl::Duration) {};
  RetryingProvider provider(MakeClient(w.provider, server_->base_url()), policy);
  auto response = provider.Chat(Request());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("HTTP 500"));
  EXPECT_THAT(response.status().message(), HasSubstr("the model is overloaded"));
  EXPECT_THAT(response.status().message(), HasSubstr("after 3 attempts"));
  EXPECT_EQ(server_->requests().size(), 3u);
}

TEST_P(ClientTest, ClientErrorIsNotRetried) {
  const Wire& w = GetParam();
  Serve({ErrorAnswer(400, "bad max_tokens")});
  RetryPolicy policy;
  policy.sleep = [](absl::Duration) {};
  RetryingProvider provider(MakeClient(w.provider, server_->base_url()), policy);
  auto response = provider.Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("bad max_tokens"));
  EXPECT_EQ(server_->requests().size(), 1u);
}

TEST_P(ClientTest, MalformedBodyIsAnError) {
  ScriptedResponse r;
  r.set_body("{\"choices\": [ this is not json");
  Serve({r});
  auto response = MakeClient(GetParam().provider, server_->base_url())->Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(response.status().message(), HasSubstr("malformed JSON"));
}

TEST_P(ClientTest, TruncatedBodyIsAnError) {
  const Wire& w = GetParam();
  ScriptedResponse r = w.answer("a long answer that will be cut in half", 1, 1);
  r.set_truncate(true);
  Serve({r});
  auto response = MakeClient(w.provider, server_->base_url())->Chat(Request());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_THAT(response.status().message(), HasSubstr(server_->base_url()));
}

TEST_P(ClientTest, MissingFieldIsNamed) {
  const Wire& w = GetParam();
  ScriptedResponse r = w.answer("text", 1, 1);
  auto body = nlohmann::json::parse(r.body());
  if (w.provider == "gemini") {
    body["usageMetadata"].erase("promptTokenCount");
  } else {
    body["usage"].erase(w.provider == "openai" ? "prompt_tokens" : "input_tokens");
  }
  r.set_body(body.dump());
  Serve({r});
  auto response = MakeClient(w.provider, server_->base_url())->Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(response.status().message(), HasSubstr(absl::StrCat("missing field ", w.usage_field)));
}

TEST_P(ClientTest, EmptyObjectNamesFirstMissingField) {
  ScriptedResponse r;
  r.set_body("{}");
  Serve({r});
  auto response = MakeClient(GetParam().provider, server_->base_url())->Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(response.status().message(), HasSubstr("missing field"));
}

TEST_P(ClientTest, SlowAnswerPastTimeout) {
  const Wire& w = GetParam();
  ScriptedResponse r = w.answer("late", 1, 1);
  r.set_delay_ms(5000);  // cut short when the server stops
  Serve({r});
  auto response = MakeClient(w.provider, server_->base_url(), absl::Milliseconds(200))->Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_THAT(response.status().message(), HasSubstr("timed out"));
}

TEST_P(ClientTest, KeyEchoedByServerIsRedacted) {
  const Wire& w = GetParam();
  Serve({ErrorAnswer(401, absl::StrCat("Incorrect API key provided: ", kKey))});
  auto response = MakeClient(w.provider, server_->base_url())->Chat(Request());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(response.status().message(), HasSubstr("HTTP 401"));
  EXPECT_THAT(response.status().message(), HasSubstr("[REDACTED]"));
  EXPECT_THAT(std::string(response.status().message()), Not(HasSubstr(kKey)));
}

INSTANTIATE_TEST_SUITE_P(Providers, ClientTest, ::testing::ValuesIn(Wires()),
                         [](const auto& info) { return info.param.provider; });

TEST(ParseTest, WrongTypeIsNamed) {
  auto r = ParseOpenAiResponse(
      R"({"model":"m","choices":[{"message":{"content":5},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}})");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(r.status().message(), HasSubstr("choices[0].message.content is number, expected string"));
  auto empty = ParseOpenAiResponse(R"({"model":"m","choices":[],"usage":{}})");
  EXPECT_THAT(empty.status().message(), HasSubstr("missing field choices[0]"));
  auto top = ParseGeminiResponse("[1,2]");
  EXPECT_EQ(top.status().code(), absl::StatusCode::kDataLoss);
}

TEST(ParseTest, AnthropicSkipsNonTextBlocks) {
  auto r = ParseAnthropicResponse(
      R"({"model":"m","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"a"},{"type":"text","text":"b"}],)"
      R"("stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text(), "ab");
}

TEST(HttpTest, OversizedAnswerIsCutOffAndNamed) {
  auto server = ScriptedHttpServer::Start(Script("/big", {OpenAiAnswer(std::string(100000, 'x'), 1, 1)}));
  ASSERT_TRUE(server.ok());
  HttpRequest request;
  request.url = (*server)->base_url() + "/big";
  request.max_response_bytes = 1000;
  auto response = HttpPost(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(response.status().message(), HasSubstr(request.url));
  request.max_response_bytes = 1 << 20;
  response = HttpPost(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "application/json");
}

// --- the factory's start-up checks ---

TEST(FactoryTest, MissingKeyNamesTheVariable) {
  unsetenv("TB_TEST_MISSING_KEY");
  ProviderConfig config;
  config.provider = "anthropic";
  config.api_key_env = "TB_TEST_MISSING_KEY";
  auto provider = CreateProvider(config);
  EXPECT_EQ(provider.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(provider.status().message(), HasSubstr("TB_TEST_MISSING_KEY"));
  config.api_key_env.reset();
  unsetenv("ANTHROPIC_API_KEY");
  EXPECT_THAT(CreateProvider(config).status().message(), HasSubstr("ANTHROPIC_API_KEY"));
}

TEST(FactoryTest, UnreachableUrlIsNamed) {
  // A port that was free a moment ago: nothing listens there.
  int port;
  {
    auto server = ScriptedHttpServer::Start(ServerScript());
    ASSERT_TRUE(server.ok());
    port = (*server)->port();
  }
  ProviderConfig config;
  config.provider = "openai";
  config.api_key_env = "";
  config.base_url = absl::StrCat("http://127.0.0.1:", port);
  config.connect_timeout = absl::Seconds(2);
  auto provider = CreateProvider(config);
  EXPECT_EQ(provider.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(provider.status().message(), HasSubstr(config.base_url));
}

TEST(FactoryTest, KeylessServerGetsNoAuthorizationAndKeyedOneDoes) {
  auto server = ScriptedHttpServer::Start(Script("/v1/chat/completions", {OpenAiAnswer("hi", 1, 1)}));
  ASSERT_TRUE(server.ok());
  ProviderConfig config;
  config.provider = "openai";
  config.base_url = (*server)->base_url();
  config.api_key_env = "";
  auto keyless = CreateProvider(config);
  ASSERT_TRUE(keyless.ok()) << keyless.status();
  ASSERT_TRUE((*keyless)->Chat(Request()).ok());
  setenv("TB_TEST_KEY", kKey, 1);
  config.api_key_env = "TB_TEST_KEY";
  auto keyed = CreateProvider(config);
  ASSERT_TRUE(keyed.ok()) << keyed.status();
  ASSERT_TRUE((*keyed)->Chat(Request()).ok());
  auto requests = (*server)->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(Header(requests[0], "authorization"), "");
  EXPECT_EQ(Header(requests[1], "authorization"), absl::StrCat("Bearer ", kKey));
}

TEST(ApiUrlTest, TheVersionIsNotRepeated) {
  EXPECT_EQ(ApiUrl("http://h:8000", "/v1", "/chat/completions"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(ApiUrl("http://h:8000/", "/v1", "/chat/completions"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(ApiUrl("http://h:8000/v1", "/v1", "/chat/completions"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(ApiUrl("http://h:8000/v1/", "/v1", "/chat/completions"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(ApiUrl("https://proxy/openai", "/v1", "/messages"), "https://proxy/openai/v1/messages");
}

// vLLM and SGLang document their OpenAI-compatible base URL with /v1 at the end; the
// bare server address works too. Both reach /v1/chat/completions.
TEST(FactoryTest, OpenAiBaseUrlWithOrWithoutV1) {
  auto server = ScriptedHttpServer::Start(Script("/v1/chat/completions", {OpenAiAnswer("hi", 1, 1)}));
  ASSERT_TRUE(server.ok());
  for (const std::string& base : {(*server)->base_url(), (*server)->base_url() + "/v1",
                                  (*server)->base_url() + "/v1/"}) {
    ProviderConfig config;
    config.provider = "openai";
    config.base_url = base;
    config.api_key_env = "";
    auto provider = CreateProvider(config);
    ASSERT_TRUE(provider.ok()) << provider.status();
    auto response = (*provider)->Chat(Request());
    ASSERT_TRUE(response.ok()) << base << ": " << response.status();
    EXPECT_EQ(response->text(), "hi");
  }
  auto requests = (*server)->requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) EXPECT_EQ(r.path(), "/v1/chat/completions");
}

TEST(FactoryTest, UnknownProviderAndBadFolders) {
  ProviderConfig config;
  config.provider = "cohere";
  EXPECT_THAT(CreateProvider(config).status().message(), HasSubstr("unknown provider \"cohere\""));
  config.provider = "openai";
  config.record_dir = "/tmp/a";
  config.replay_dir = "/tmp/b";
  EXPECT_EQ(CreateProvider(config).status().code(), absl::StatusCode::kInvalidArgument);
  config.record_dir.clear();
  config.replay_dir = "/no/such/transcripts";
  auto replay = CreateProvider(config);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(replay.status().message(), HasSubstr("/no/such/transcripts"));
}

}  // namespace
}  // namespace tritonbench
