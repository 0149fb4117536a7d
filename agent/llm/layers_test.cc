// The layers around a client, with a scripted in-process provider: retries and
// backoff, rate limits (fake clock), accounting, and the canonical request key.
#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "agent/llm/accounting.h"
#include "agent/llm/canonical_request.h"
#include "agent/llm/http_errors.h"
#include "agent/llm/rate_limiter.h"
#include "agent/llm/retrying_provider.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

// Answers from a queue of results (the last one repeated); counts calls.
class FakeProvider : public LlmProvider {
 public:
  explicit FakeProvider(std::vector<absl::StatusOr<ChatResponse>> results) : results_(std::move(results)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest&) override {
    int i = calls_.fetch_add(1);
    return results_[std::min<size_t>(i, results_.size() - 1)];
  }
  std::string name() const override { return "openai"; }
  int calls() const { return calls_.load(); }

 private:
  std::vector<absl::StatusOr<ChatResponse>> results_;
  std::atomic<int> calls_{0};
};

ChatResponse Answer(const std::string& text) {
  ChatResponse r;
  r.set_text(text);
  r.mutable_usage()->set_prompt_tokens(1000);
  r.mutable_usage()->set_completion_tokens(500);
  r.set_latency_s(1.5);
  r.set_finish_reason("stop");
  return r;
}

ChatRequest Request(const std::string& prompt) {
  ChatRequest r;
  r.set_model("m1");
  auto* m = r.add_messages();
  m->set_role(ChatMessage::USER);
  m->set_content(prompt);
  return r;
}

// --- retries ---

TEST(RetryTest, BackoffGrowsWithJitterUnderTheCap) {
  std::vector<absl::Duration> waits;
  RetryPolicy policy;
  policy.max_attempts = 6;
  policy.initial_backoff = absl::Seconds(1);
  policy.multiplier = 2;
  policy.max_backoff = absl::Seconds(5);
  policy.sleep = [&](absl::Duration d) { waits.push_back(d); };
  auto* fake = new FakeProvider({absl::UnavailableError("down")});
  RetryingProvider provider(std::unique_ptr<LlmProvider>(fake), policy);
  auto r = provider.Chat(Request("x"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("after 6 attempts"));
  EXPECT_EQ(fake->calls(), 6);
  ASSERT_EQ(waits.size(), 5u);
  const double caps[] = {1, 2, 4, 5, 5};
  for (int i = 0; i < 5; ++i) {
    EXPECT_GE(waits[i], absl::ZeroDuration());
    EXPECT_LE(waits[i], absl::Seconds(caps[i])) << "retry " << i + 1;
  }
}

TEST(RetryTest, RetriesOnlyWhatMayCure) {
  RetryPolicy policy;
  policy.sleep = [](absl::Duration) {};
  for (auto status : {absl::InvalidArgumentError("400"), absl::UnauthenticatedError("401"),
                      absl::DataLossError("malformed")}) {
    auto* fake = new FakeProvider({status});
    RetryingProvider provider(std::unique_ptr<LlmProvider>(fake), policy);
    EXPECT_EQ(provider.Chat(Request("x")).status(), status);
    EXPECT_EQ(fake->calls(), 1) << status;
  }
  for (auto status : {absl::ResourceExhaustedError("429"), absl::UnavailableError("503"),
                      absl::DeadlineExceededError("timeout")}) {
    auto* fake = new FakeProvider({status, Answer("ok")});
    RetryingProvider provider(std::unique_ptr<LlmProvider>(fake), policy);
    auto r = provider.Chat(Request("x"));
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_EQ(r->retries(), 1);
  }
  policy.retry_timeouts = false;
  auto* fake = new FakeProvider({absl::DeadlineExceededError("timeout"), Answer("ok")});
  RetryingProvider no_timeouts(std::unique_ptr<LlmProvider>(fake), policy);
  EXPECT_FALSE(no_timeouts.Chat(Request("x")).ok());
}

TEST(RetryTest, RetryAfterIsCapped) {
  std::vector<absl::Duration> waits;
  RetryPolicy policy;
  policy.initial_backoff = absl::ZeroDuration();
  policy.max_retry_after = absl::Seconds(30);
  policy.sleep = [&](absl::Duration d) { waits.push_back(d); };
  absl::Status limited = absl::ResourceExhaustedError("429");
  SetRetryAfter(&limited, absl::Hours(1));
  auto* fake = new FakeProvider({limited, Answer("ok")});
  RetryingProvider provider(std::unique_ptr<LlmProvider>(fake), policy);
  ASSERT_TRUE(provider.Chat(Request("x")).ok());
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0], absl::Seconds(30));
}

// --- rate limits ---

TEST(RateLimiterTest, RequestsPerMinuteWaitsForTheWindow) {
  absl::Time now = absl::UnixEpoch();
  absl::Duration slept;
  RateLimits limits;
  limits.requests_per_minute = 3;
  limits.now = [&] { return now; };
  limits.sleep = [&](absl::Duration d) {
    slept += d;
    now += d;
  };
  RateLimiter limiter(limits);
  std::vector<absl::Time> starts;
  for (int i = 0; i < 7; ++i) {
    RateLimiter::Permit permit(&limiter);
    starts.push_back(now);
    now += absl::Seconds(1);  // each call takes a second
  }
  // Three in the first minute, three in the second, the seventh in the third.
  EXPECT_EQ(starts[2], absl::UnixEpoch() + absl::Seconds(2));
  EXPECT_EQ(starts[3], absl::UnixEpoch() + absl::Seconds(60));
  EXPECT_EQ(starts[5], absl::UnixEpoch() + absl::Seconds(62));
  EXPECT_EQ(starts[6], absl::UnixEpoch() + absl::Seconds(120));
  EXPECT_EQ(slept, absl::Seconds(57 + 57));
}

// Blocks every call until released; records the most calls in flight at once.
class GateProvider : public LlmProvider {
 public:
  absl::StatusOr<ChatResponse> Chat(const ChatRequest&) override {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    ++started_;
    mu_.Await(absl::Condition(&open_));
    --in_flight_;
    return Answer("ok");
  }
  std::string name() const override { return "openai"; }
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }
  void AwaitStarted(int n) {
    absl::MutexLock lock(&mu_);
    auto started = [&] { return started_ >= n; };
    mu_.Await(absl::Condition(&started));
  }
  int max_in_flight() {
    absl::MutexLock lock(&mu_);
    return max_in_flight_;
  }

  absl::Mutex mu_;
  bool open_ = false;
  int in_flight_ = 0, max_in_flight_ = 0, started_ = 0;
};

TEST(RateLimiterTest, ConcurrencyLimitSharedByProviders) {
  // Two providers on one account: one gate behind both, one limiter for both.
  auto gate = std::make_shared<GateProvider>();
  struct Forward : LlmProvider {
    explicit Forward(std::shared_ptr<GateProvider> g) : gate(std::move(g)) {}
    absl::StatusOr<ChatResponse> Chat(const ChatRequest& r) override { return gate->Chat(r); }
    std::string name() const override { return "openai"; }
    std::shared_ptr<GateProvider> gate;
  };
  RateLimits limits;
  limits.max_concurrent = 2;
  auto limiter = std::make_shared<RateLimiter>(limits);
  RateLimitedProvider a(std::make_unique<Forward>(gate), limiter);
  RateLimitedProvider b(std::make_unique<Forward>(gate), limiter);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] { ok += (i % 2 ? a : b).Chat(Request("x")).ok(); });
  }
  gate->AwaitStarted(2);  // two got in; the other four wait on the limiter
  EXPECT_EQ(limiter->in_flight(), 2);
  gate->Open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(gate->max_in_flight(), 2);
  EXPECT_EQ(limiter->in_flight(), 0);
}

// --- accounting ---

TEST(AccountingTest, PriceTableCostAndCallRecord) {
  const std::string path = ::testing::TempDir() + "/prices.textproto";
  ASSERT_TRUE(WriteFile(path, R"(
    prices { provider: "openai" model: "m1" input_usd_per_mtok: 2.5 output_usd_per_mtok: 10 }
    prices { provider: "anthropic" model: "m1" input_usd_per_mtok: 3 output_usd_per_mtok: 15 }
  )").ok());
  auto table = LoadPriceTable(path);
  ASSERT_TRUE(table.ok()) << table.status();
  ChatResponse response = Answer("ok");
  response.set_retries(2);
  CallRecord record = MakeCallRecord("openai", Request("x"), response, &*table, false);
  EXPECT_EQ(record.provider(), "openai");
  EXPECT_EQ(record.model(), "m1");
  EXPECT_EQ(record.prompt_tokens(), 1000);
  EXPECT_EQ(record.completion_tokens(), 500);
  EXPECT_DOUBLE_EQ(record.latency_s(), 1.5);
  EXPECT_TRUE(record.cost_known());
  EXPECT_DOUBLE_EQ(record.cost_usd(), (1000 * 2.5 + 500 * 10) / 1e6);
  EXPECT_EQ(record.retries(), 2);
  EXPECT_EQ(record.request_hash(), RequestHash("openai", Request("x")));
  EXPECT_FALSE(MakeCallRecord("gemini", Request("x"), response, &*table, false).cost_known());

  auto* fake = new FakeProvider({Answer("a"), Answer("b"), absl::UnavailableError("HTTP 503")});
  AccountingProvider accounting(std::unique_ptr<LlmProvider>(fake), *table, /*replayed=*/true);
  ASSERT_TRUE(accounting.Chat(Request("x")).ok());
  ASSERT_TRUE(accounting.Chat(Request("y")).ok());
  ASSERT_FALSE(accounting.Chat(Request("z")).ok());
  auto records = accounting.TakeRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[1].replayed());
  EXPECT_EQ(records[1].request_hash(), RequestHash("openai", Request("y")));
  EXPECT_TRUE(records[1].error().empty());
  EXPECT_EQ(records[2].error(), "HTTP 503");
  EXPECT_EQ(records[2].completion_tokens(), 0);
  EXPECT_TRUE(accounting.TakeRecords().empty());
}

TEST(AccountingTest, BadPriceTablesAreNamed) {
  const std::string path = ::testing::TempDir() + "/bad_prices.textproto";
  ASSERT_TRUE(WriteFile(path, "prices { provider: \"openai\"\n  modle: \"m1\" }\n").ok());
  auto table = LoadPriceTable(path);
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(), HasSubstr(path + ":2:"));
  ASSERT_TRUE(WriteFile(path, "prices { provider: \"openai\" model: \"m1\" }\n"
                              "prices { provider: \"openai\" model: \"m1\" }\n")
                  .ok());
  EXPECT_THAT(LoadPriceTable(path).status().message(), HasSubstr("openai/m1 is priced twice"));
}

// --- the canonical request ---

TEST(CanonicalRequestTest, StableAndSensitiveToWhatMatters) {
  ChatRequest a = Request("Write vector_add.");
  EXPECT_EQ(CanonicalRequest("openai", a),
            R"({"messages":[{"content":"Write vector_add.","role":"USER"}],"model":"m1","provider":"openai","v":1})");
  EXPECT_EQ(RequestHash("openai", a).size(), 64u);
  EXPECT_EQ(RequestHash("openai", a), RequestHash("openai", Request("Write vector_add.")));
  EXPECT_NE(RequestHash("openai", a), RequestHash("anthropic", a));
  ChatRequest b = a;
  b.set_temperature(0);
  EXPECT_NE(RequestHash("openai", a), RequestHash("openai", b));  // set to 0 differs from unset
  ChatRequest c = b;
  c.set_temperature(0.1);
  EXPECT_NE(RequestHash("openai", b), RequestHash("openai", c));
  ChatRequest d = a;
  d.mutable_messages(0)->set_role(ChatMessage::SYSTEM);
  EXPECT_NE(RequestHash("openai", a), RequestHash("openai", d));
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(RequestSummary("openai", a), "openai/m1, 1 message, last (user): \"Write vector_add.\"");
}

}  // namespace
}  // namespace tritonbench
