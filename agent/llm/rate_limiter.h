// Per-provider limits: at most `max_concurrent` calls in flight and at most
// `requests_per_minute` calls started in any 60-second window.
#ifndef TRITONBENCH_AGENT_LLM_RATE_LIMITER_H_
#define TRITONBENCH_AGENT_LLM_RATE_LIMITER_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agent/llm/provider.h"

namespace tritonbench {

struct RateLimits {
  int max_concurrent = 0;       // 0: unlimited
  int requests_per_minute = 0;  // 0: unlimited
  absl::Duration window = absl::Minutes(1);
  // The clock and the wait the per-minute limit uses; tests pass a fake pair.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) { absl::SleepFor(d); };
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimits limits) : limits_(std::move(limits)) {}

  // Blocks until a call may start, then counts it as started and in flight. Every
  // Acquire must be paired with one Release (see Permit).
  void Acquire();
  void Release();

  // Acquire now, Release at the end of the scope.
  class Permit {
   public:
    explicit Permit(RateLimiter* limiter) : limiter_(limiter) { limiter_->Acquire(); }
    ~Permit() { limiter_->Release(); }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

   private:
    RateLimiter* limiter_;
  };

  int in_flight() const;

 private:
  RateLimits limits_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<absl::Time> starts_ ABSL_GUARDED_BY(mu_);  // within the last window
};

// Passes every call through a RateLimiter. Providers that share one limiter (e.g.
// every agent talking to the same provider account) share its limits.
class RateLimitedProvider : public LlmProvider {
 public:
  RateLimitedProvider(std::unique_ptr<LlmProvider> inner, std::shared_ptr<RateLimiter> limiter)
      : inner_(std::move(inner)), limiter_(std::move(limiter)) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override {
    RateLimiter::Permit permit(limiter_.get());
    return inner_->Chat(request);
  }
  std::string name() const override { return inner_->name(); }

 private:
  std::unique_ptr<LlmProvider> inner_;
  std::shared_ptr<RateLimiter> limiter_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_RATE_LIMITER_H_
