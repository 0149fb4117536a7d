// The text formats every output shares (leaderboard/markdown.h).
#include "leaderboard/markdown.h"

#include "gtest/gtest.h"

namespace tritonbench {
namespace {

TEST(FormatSpeedupTest, TwoDecimalsFromOneTenth) {
  EXPECT_EQ(FormatSpeedup(1.234), "1.23x");
  EXPECT_EQ(FormatSpeedup(0.1), "0.10x");
  EXPECT_EQ(FormatSpeedup(0.0), "0.00x");
}

TEST(FormatSpeedupTest, SmallSpeedupsKeepTwoSignificantDigits) {
  // An H200 eager reference ~900x slower than its ground truth read "0.00x" before.
  EXPECT_EQ(FormatSpeedup(0.0011234), "0.0011x");
  EXPECT_EQ(FormatSpeedup(0.085), "0.085x");
}

TEST(FormatEstimateTest, IntervalBoundsUseTheSameDigits) {
  Estimate e;
  e.set_value(0.0012);
  e.set_ci_low(0.00091);
  e.set_ci_high(0.25);
  e.set_n(5);
  EXPECT_EQ(FormatEstimate(e), "0.0012x [0.00091, 0.25]");
  Estimate single;
  single.set_value(2.5);
  EXPECT_EQ(FormatEstimate(single), "2.50x");
}

}  // namespace
}  // namespace tritonbench
