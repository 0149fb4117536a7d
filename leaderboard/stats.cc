#include "leaderboard/stats.h"

#include <algorithm>
#include <cmath>

namespace tritonbench {

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / values.size();
}

double GeoMean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double log_sum = 0;
  for (double v : values) log_sum += std::log(v);
  return std::exp(log_sum / values.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return Quantile(values, 0.5);
}

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double h = (sorted.size() - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

uint64_t SplitMix64::Next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Interval BootstrapInterval(const std::vector<double>& values,
                           const std::function<double(const std::vector<double>&)>& statistic,
                           int samples, uint64_t seed, double level) {
  if (values.empty() || samples <= 0) return {};
  SplitMix64 rng(seed);
  const size_t n = values.size();
  std::vector<double> stats;
  stats.reserve(samples);
  std::vector<double> resample(n);
  for (int b = 0; b < samples; ++b) {
    for (size_t i = 0; i < n; ++i) resample[i] = values[rng.Next() % n];
    stats.push_back(statistic(resample));
  }
  std::sort(stats.begin(), stats.end());
  return {Quantile(stats, (1 - level) / 2), Quantile(stats, (1 + level) / 2)};
}

}  // namespace tritonbench
