#include "agent/debug_trap.h"

namespace tritonbench {

bool DebugTrap::RoundFailed(const std::string& code, const EvaluationResult& result) {
  if (active_) ++attempts_;  // the round that just failed was a debug attempt on this line
  code_ = code;
  result_ = result;
  active_ = true;
  if (max_attempts_ > 0 && attempts_ >= max_attempts_) {
    Reset();
    return true;
  }
  return false;
}

void DebugTrap::Reset() {
  active_ = false;
  attempts_ = 0;
  code_.clear();
  result_.Clear();
}

}  // namespace tritonbench
