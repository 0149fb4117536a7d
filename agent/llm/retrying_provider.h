// Retries another provider's calls that may succeed a second time: 429
// (ResourceExhausted), 5xx and transport failures (Unavailable) and timeouts
// (DeadlineExceeded), with exponential backoff and full jitter, honouring Retry-After.
#ifndef TRITONBENCH_AGENT_LLM_RETRYING_PROVIDER_H_
#define TRITONBENCH_AGENT_LLM_RETRYING_PROVIDER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/llm/provider.h"

namespace tritonbench {

struct RetryPolicy {
  // Calls in all, the first included; 1 disables retries.
  int max_attempts = 5;
  // Before retry k (1-based) the wait is uniform in [0, min(max_backoff,
  // initial_backoff * multiplier^(k-1))] ("full jitter"); a Retry-After of the failed
  // answer replaces it when longer, capped at max_retry_after.
  absl::Duration initial_backoff = absl::Seconds(1);
  double multiplier = 2.0;
  absl::Duration max_backoff = absl::Seconds(60);
  absl::Duration max_retry_after = absl::Seconds(300);
  bool retry_timeouts = true;
  // How to wait; tests pass one that records the waits and returns at once.
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) { absl::SleepFor(d); };
};

// True for the codes RetryingProvider retries (given the policy).
bool IsRetryable(const absl::Status& status, const RetryPolicy& policy);

class RetryingProvider : public LlmProvider {
 public:
  RetryingProvider(std::unique_ptr<LlmProvider> inner, RetryPolicy policy)
      : inner_(std::move(inner)), policy_(std::move(policy)) {}

  // The first success, with retries set to the failed attempts before it; or the last
  // error, its message extended with "(after N attempts)" when more than one was made.
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return inner_->name(); }

 private:
  absl::Duration Backoff(int retry);

  std::unique_ptr<LlmProvider> inner_;
  RetryPolicy policy_;
  absl::Mutex mu_;
  absl::BitGen rng_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_RETRYING_PROVIDER_H_
