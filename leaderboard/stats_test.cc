#include "leaderboard/stats.h"

#include <cmath>

#include "gtest/gtest.h"

namespace tritonbench {
namespace {

TEST(StatsTest, MeansMedianQuantile) {
  EXPECT_DOUBLE_EQ(Mean({2.0, 0.5, 1.0}), 3.5 / 3);
  EXPECT_DOUBLE_EQ(GeoMean({2.0, 0.5, 1.0}), 1.0);
  EXPECT_DOUBLE_EQ(GeoMean({1.0, 4.0}), 2.0);
  EXPECT_DOUBLE_EQ(Median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_DOUBLE_EQ(Median({4.0, 1.0, 2.0, 3.0}), 2.5);
  EXPECT_EQ(Mean({}), 0);
  EXPECT_EQ(Median({}), 0);
  // numpy.quantile([1, 2, 3, 4], 0.1) == 1.3 (linear interpolation).
  EXPECT_DOUBLE_EQ(Quantile({1, 2, 3, 4}, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(Quantile({1, 2, 3, 4}, 1.0), 4.0);
}

// The published reference outputs of SplitMix64 seeded with 0.
TEST(StatsTest, SplitMix64MatchesReference) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.Next(), 0x06C45D188009454FULL);
}

// Hand-checkable: values {2.0, 0.5, 1.0}, 4 resamples, seed 7. SplitMix64(7) % 3 draws
// the index triples (0,0,0) (0,1,0) (1,0,2) (2,1,1), whose means are 2, 1.5, 7/6, 2/3.
// Sorted: 2/3, 7/6, 1.5, 2. Quantile 0.025: h = 3 * 0.025 = 0.075, so
// 2/3 + 0.075 * (7/6 - 2/3) = 0.7041666...; quantile 0.975: h = 2.925, so
// 1.5 + 0.925 * (2 - 1.5) = 1.9625.
TEST(StatsTest, BootstrapByHand) {
  Interval ci = BootstrapInterval({2.0, 0.5, 1.0}, Mean, 4, 7);
  EXPECT_NEAR(ci.low, 2.0 / 3 + 0.075 * 0.5, 1e-12);
  EXPECT_NEAR(ci.high, 1.9625, 1e-12);
}

// Expected figures computed independently by this Python (no numpy), 2000 resamples:
//   M = 2**64 - 1
//   def splitmix(s):
//     while True:
//       s = (s + 0x9E3779B97F4A7C15) & M; z = s
//       z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
//       z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
//       yield z ^ (z >> 31)
//   def q(xs, p):
//     h = (len(xs) - 1) * p; lo = math.floor(h)
//     return xs[-1] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])
//   r = splitmix(20261125); n = len(v)
//   st = sorted(stat([v[next(r) % n] for _ in range(n)]) for _ in range(2000))
//   print(q(st, 0.025), q(st, 0.975))
TEST(StatsTest, BootstrapMatchesIndependentComputation) {
  const std::vector<double> v = {0.8, 1.1, 1.3, 2.0, 0.9, 1.5, 3.0, 1.2};
  Interval mean = BootstrapInterval(v, Mean, 2000, 20261125);
  EXPECT_NEAR(mean.low, 1.0625, 1e-12);
  EXPECT_NEAR(mean.high, 2.0, 1e-12);
  Interval geo = BootstrapInterval(v, GeoMean, 2000, 20261125);
  EXPECT_NEAR(geo.low, 1.0362824470785168, 1e-12);
  EXPECT_NEAR(geo.high, 1.813008317580483, 1e-12);
  // Deterministic: the same seed gives the same interval; the point estimate lies inside.
  Interval again = BootstrapInterval(v, GeoMean, 2000, 20261125);
  EXPECT_EQ(again.low, geo.low);
  EXPECT_EQ(again.high, geo.high);
  EXPECT_LT(geo.low, GeoMean(v));
  EXPECT_GT(geo.high, GeoMean(v));
}

TEST(StatsTest, BootstrapOfNothingIsEmpty) {
  Interval ci = BootstrapInterval({}, Mean, 100, 1);
  EXPECT_EQ(ci.low, 0);
  EXPECT_EQ(ci.high, 0);
}

}  // namespace
}  // namespace tritonbench
