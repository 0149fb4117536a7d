// Records a sequence of real HTTP calls (scripted server), replays it without the
// server, and checks the answers are byte-identical, in order for repeated requests;
// an unseen request fails naming its hash and a summary.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/llm/canonical_request.h"
#include "agent/llm/openai_client.h"
#include "agent/llm/provider_factory.h"
#include "agent/llm/record_replay.h"
#include "agent/llm/transcript_store.h"
#include "agent/testing/scripted_http_server.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

ChatRequest Request(const std::string& prompt, double temperature) {
  ChatRequest r;
  r.set_model("m1");
  auto* m = r.add_messages();
  m->set_role(ChatMessage::USER);
  m->set_content(prompt);
  r.set_temperature(temperature);
  return r;
}

class RecordReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ServerScript script;
    Route* route = script.add_routes();
    route->set_path("/v1/chat/completions");
    // Unicode, quotes, newlines and a long body: replay must keep every byte.
    *route->add_responses() = OpenAiAnswer("import triton\n\n@triton.jit\ndef k(x_ptr):\n    pass  # \"ü\" \xe2\x9c\x93", 10, 20);
    *route->add_responses() = OpenAiAnswer(std::string(20000, 'x'), 11, 21);
    *route->add_responses() = OpenAiAnswer("first sample", 12, 22);
    *route->add_responses() = OpenAiAnswer("second sample", 13, 23);
    auto server = ScriptedHttpServer::Start(script);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  std::unique_ptr<LlmProvider> Client() {
    ClientOptions options;
    options.base_url = server_->base_url();
    return std::make_unique<OpenAiClient>(options);
  }

  std::vector<ChatRequest> Sequence() {
    // The last two are the same request: sampled twice, answered differently.
    return {Request("kernel one", 0), Request("kernel two", 0), Request("sample", 1), Request("sample", 1)};
  }

  std::string dir_;
  std::unique_ptr<ScriptedHttpServer> server_;
};

TEST_F(RecordReplayTest, ReplayIsByteIdenticalAndNeedsNoServer) {
  std::vector<std::string> recorded;
  {
    RecordingProvider recorder(Client(), dir_);
    for (const auto& request : Sequence()) {
      auto response = recorder.Chat(request);
      ASSERT_TRUE(response.ok()) << response.status();
      recorded.push_back(response->SerializeAsString());
    }
  }
  EXPECT_EQ(CountTranscriptEntries(dir_), 4);
  server_.reset();  // replay must not need it

  ProviderConfig config;
  config.provider = "openai";
  config.replay_dir = dir_;
  config.api_key_env = "TB_TEST_UNSET_KEY_VARIABLE";  // replay needs no key
  auto replay = CreateProvider(config);
  ASSERT_TRUE(replay.ok()) << replay.status();
  auto sequence = Sequence();
  for (size_t i = 0; i < sequence.size(); ++i) {
    auto response = (*replay)->Chat(sequence[i]);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->SerializeAsString(), recorded[i]) << "call " << i;
  }
  ChatResponse first;
  ASSERT_TRUE(first.ParseFromString(recorded[2]));
  EXPECT_EQ(first.text(), "first sample");

  // A third "sample" was never recorded.
  auto extra = (*replay)->Chat(Request("sample", 1));
  EXPECT_EQ(extra.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(extra.status().message(), HasSubstr("recorded 2 time(s)"));
}

// Two parallel runs send the same prompt; their tags keep each answer with its run
// whatever order the replay asks in.
TEST_F(RecordReplayTest, TaggedRequestsReplayToTheirAsker) {
  ChatRequest run0 = Request("sample", 1), run1 = Request("sample", 1);
  run0.set_replay_tag("run0_iter1");
  run1.set_replay_tag("run1_iter1");
  EXPECT_NE(RequestHash("openai", run0), RequestHash("openai", run1));
  std::string answer0, answer1;
  {
    RecordingProvider recorder(Client(), dir_);
    for (const auto& r : {Request("kernel one", 0), Request("kernel two", 0)}) ASSERT_TRUE(recorder.Chat(r).ok());
    auto a0 = recorder.Chat(run0);
    auto a1 = recorder.Chat(run1);
    ASSERT_TRUE(a0.ok() && a1.ok());
    answer0 = a0->text();
    answer1 = a1->text();
  }
  EXPECT_EQ(answer0, "first sample");
  EXPECT_EQ(answer1, "second sample");
  ReplayProvider replay("openai", dir_);
  auto r1 = replay.Chat(run1);  // the other order than recorded
  auto r0 = replay.Chat(run0);
  ASSERT_TRUE(r0.ok() && r1.ok()) << r0.status() << r1.status();
  EXPECT_EQ(r0->text(), answer0);
  EXPECT_EQ(r1->text(), answer1);
  // The tag never goes on the wire.
  for (const auto& request : server_->requests()) EXPECT_THAT(request.body(), ::testing::Not(HasSubstr("run0_iter1")));
}

TEST_F(RecordReplayTest, UnseenRequestFailsLoudly) {
  RecordingProvider recorder(Client(), dir_);
  ASSERT_TRUE(recorder.Chat(Request("kernel one", 0)).ok());
  ReplayProvider replay("openai", dir_);
  ChatRequest unseen = Request("kernel one", 0.5);  // same prompt, other temperature
  auto response = replay.Chat(unseen);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(response.status().message(), HasSubstr(RequestHash("openai", unseen)));
  EXPECT_THAT(response.status().message(), HasSubstr("openai/m1, 1 message, last (user): \"kernel one\""));
  EXPECT_THAT(response.status().message(), HasSubstr("never recorded"));
  EXPECT_THAT(response.status().message(), HasSubstr(dir_));
  // Another provider's key is another request.
  EXPECT_FALSE(ReplayProvider("anthropic", dir_).Chat(Request("kernel one", 0)).ok());
}

TEST_F(RecordReplayTest, TranscriptsAreNeverOverwritten) {
  {
    RecordingProvider recorder(Client(), dir_);
    ASSERT_TRUE(recorder.Chat(Request("kernel one", 0)).ok());
  }
  RecordingProvider again(Client(), dir_);
  auto response = again.Chat(Request("kernel one", 0));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(response.status().message(), HasSubstr("never overwritten"));
}

TEST_F(RecordReplayTest, CorruptEntryIsNamed) {
  RecordingProvider recorder(Client(), dir_);
  ChatRequest request = Request("kernel one", 0);
  ASSERT_TRUE(recorder.Chat(request).ok());
  const std::string path = TranscriptPath(dir_, RequestHash("openai", request), 0);
  ASSERT_TRUE(WriteFile(path, "{\"request_hash\": ").ok());
  auto response = ReplayProvider("openai", dir_).Chat(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(response.status().message(), HasSubstr(path));
}

}  // namespace
}  // namespace tritonbench
