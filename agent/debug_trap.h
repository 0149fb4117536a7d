// The debugging trap: an agent fixing one failing candidate after another can get
// stuck on one line of fixes. After at most K debug attempts on one line, the line is
// dropped and the next round starts fresh from the task prompt.
#ifndef TRITONBENCH_AGENT_DEBUG_TRAP_H_
#define TRITONBENCH_AGENT_DEBUG_TRAP_H_

#include <string>

#include "harness/proto/evaluation.pb.h"

namespace tritonbench {

class DebugTrap {
 public:
  // `max_attempts` 0: no limit (the line is never dropped).
  explicit DebugTrap(int max_attempts) : max_attempts_(max_attempts) {}

  // A round produced no correct kernel; `code`/`result` is its most promising failure.
  // Starts a line (after a fresh round) or continues it (after a debug round). Returns
  // true when that spent the line's attempts: the line is dropped (fresh next round).
  bool RoundFailed(const std::string& code, const EvaluationResult& result);

  // A correct kernel was found, or the line is abandoned for another reason.
  void Reset();

  // Whether the next round debugs the current line (else it starts fresh).
  bool active() const { return active_; }
  const std::string& code() const { return code_; }
  const EvaluationResult& result() const { return result_; }
  // Debug rounds spent on the current line so far.
  int attempts() const { return attempts_; }

 private:
  int max_attempts_;
  bool active_ = false;
  bool next_is_debug_ = false;
  int attempts_ = 0;
  std::string code_;
  EvaluationResult result_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_DEBUG_TRAP_H_
