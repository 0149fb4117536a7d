// The optimizer (LLM as optimizer): correct candidates' (code, latency) pairs, put
// into the prompt to ask for a faster version.
#ifndef TRITONBENCH_AGENT_OPTIMIZER_H_
#define TRITONBENCH_AGENT_OPTIMIZER_H_

#include <string>
#include <utility>
#include <vector>

namespace tritonbench {

class LatencyHistory {
 public:
  void Add(std::string code, double latency_ms);
  bool empty() const { return entries_.empty(); }
  // The `max` fastest entries, slowest first (so the best is last, nearest the ask).
  std::vector<std::pair<std::string, double>> ForPrompt(int max) const;
  double best_ms() const;

 private:
  std::vector<std::pair<std::string, double>> entries_;
};

// Why the optimizer cannot run with this evaluator; "" when it can.
std::string OptimizerSkipReason(bool enabled, bool timed);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_OPTIMIZER_H_
