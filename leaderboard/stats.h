// Small statistics for the leaderboard: means, medians, quantiles and a deterministic
// percentile bootstrap. Every function is pure; the bootstrap's random stream is
// SplitMix64, chosen because it is four lines in any language, so a test (or a
// reviewer) can recompute an interval independently (see stats_test.cc).
#ifndef TRITONBENCH_LEADERBOARD_STATS_H_
#define TRITONBENCH_LEADERBOARD_STATS_H_

#include <cstdint>
#include <functional>
#include <vector>

namespace tritonbench {

// Arithmetic mean; 0 for no values.
double Mean(const std::vector<double>& values);

// exp(mean(log v)); needs every value > 0; 0 for no values.
double GeoMean(const std::vector<double>& values);

// Middle value, or the mean of the two middle values; 0 for no values.
double Median(std::vector<double> values);

// Quantile q in [0, 1] of `sorted` (ascending) with linear interpolation between
// order statistics (numpy's default, "type 7"): h = (n-1)q, x[floor h] + (h - floor h)
// * (x[floor h + 1] - x[floor h]). 0 for no values.
double Quantile(const std::vector<double>& sorted, double q);

// SplitMix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15; z = state;
// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
// return z ^ (z >> 31).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

struct Interval {
  double low = 0;
  double high = 0;
};

// Percentile bootstrap: `samples` resamples of `values` with replacement, index i of
// each draw = SplitMix64(seed).Next() % n (n values drawn per resample, resamples in
// order); the interval is Quantile(sorted statistics, (1-level)/2) and
// Quantile(..., (1+level)/2). With no values the interval is {0, 0}.
Interval BootstrapInterval(const std::vector<double>& values,
                           const std::function<double(const std::vector<double>&)>& statistic,
                           int samples, uint64_t seed, double level = 0.95);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_STATS_H_
