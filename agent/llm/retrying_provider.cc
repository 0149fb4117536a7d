#include "agent/llm/retrying_provider.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/llm/http_errors.h"

namespace tritonbench {

bool IsRetryable(const absl::Status& status, const RetryPolicy& policy) {
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      return true;
    case absl::StatusCode::kDeadlineExceeded:
      return policy.retry_timeouts;
    default:
      return false;
  }
}

absl::Duration RetryingProvider::Backoff(int retry) {
  double cap = absl::ToDoubleSeconds(policy_.initial_backoff) * std::pow(policy_.multiplier, retry - 1);
  cap = std::min(cap, absl::ToDoubleSeconds(policy_.max_backoff));
  if (cap <= 0) return absl::ZeroDuration();
  absl::MutexLock lock(&mu_);
  return absl::Seconds(absl::Uniform(rng_, 0.0, cap));
}

absl::StatusOr<ChatResponse> RetryingProvider::Chat(const ChatRequest& request) {
  const int attempts = std::max(1, policy_.max_attempts);
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    auto response = inner_->Chat(request);
    if (response.ok()) {
      response->set_retries(attempt - 1);
      return response;
    }
    last = response.status();
    if (!IsRetryable(last, policy_) || attempt == attempts) break;
    absl::Duration wait = Backoff(attempt);
    if (auto retry_after = RetryAfter(last)) wait = std::max(wait, std::min(*retry_after, policy_.max_retry_after));
    policy_.sleep(wait);
  }
  if (attempts == 1 || !IsRetryable(last, policy_)) return last;
  return absl::Status(last.code(), absl::StrCat(last.message(), " (after ", attempts, " attempts)"));
}

}  // namespace tritonbench
