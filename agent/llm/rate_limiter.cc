#include "agent/llm/rate_limiter.h"

namespace tritonbench {

void RateLimiter::Acquire() {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (limits_.max_concurrent > 0) {
      auto slot_free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return in_flight_ < limits_.max_concurrent; };
      mu_.Await(absl::Condition(&slot_free));
    }
    if (limits_.requests_per_minute <= 0) break;
    absl::Time now = limits_.now();
    while (!starts_.empty() && starts_.front() + limits_.window <= now) starts_.pop_front();
    if (static_cast<int>(starts_.size()) < limits_.requests_per_minute) {
      starts_.push_back(now);
      break;
    }
    // Wait, unlocked, until the oldest start leaves the window; then check both again.
    absl::Duration wait = starts_.front() + limits_.window - now;
    mu_.Unlock();
    limits_.sleep(wait);
    mu_.Lock();
  }
  ++in_flight_;
}

void RateLimiter::Release() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

int RateLimiter::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

}  // namespace tritonbench
