#include "agent/optimizer.h"

#include <algorithm>
#include <limits>

namespace tritonbench {

void LatencyHistory::Add(std::string code, double latency_ms) { entries_.emplace_back(std::move(code), latency_ms); }

std::vector<std::pair<std::string, double>> LatencyHistory::ForPrompt(int max) const {
  auto sorted = entries_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (static_cast<int>(sorted.size()) > max) sorted.resize(max);
  std::reverse(sorted.begin(), sorted.end());
  return sorted;
}

double LatencyHistory::best_ms() const {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& e : entries_) best = std::min(best, e.second);
  return best;
}

std::string OptimizerSkipReason(bool enabled, bool timed) {
  if (!enabled) return "optimizer off in the configuration";
  if (!timed) return "optimizer skipped: the CPU interpreter measures no latency";
  return "";
}

}  // namespace tritonbench
