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

TEST(RowNameTest, NamesTheReleaseOrTheOlderSuiteVersion) {
  Row row;
  row.set_kind("measured");
  row.set_suite("rocm");
  row.set_release("1.0");
  row.set_configuration("zero_shot");
  row.set_model("m");
  row.set_hardware("GPU");
  EXPECT_EQ(RowName(row), "rocm 1.0 · zero_shot · m · GPU");
  row.clear_release();
  row.set_suite_content_hash("0123456789abcdef");
  EXPECT_EQ(RowName(row), "rocm (suite 0123456789ab) · zero_shot · m · GPU");
  row.set_kind("reported");
  row.clear_suite_content_hash();
  EXPECT_EQ(RowName(row), "(reported) rocm · zero_shot · m · GPU");
}

TEST(ReportedRowCoversTest, ASuiteOrEachOfAList) {
  Row row;
  row.set_suite("tritonbench_revised+rocm");
  EXPECT_TRUE(ReportedRowCovers(row, "rocm"));
  EXPECT_TRUE(ReportedRowCovers(row, "tritonbench_revised"));
  EXPECT_FALSE(ReportedRowCovers(row, "roc"));
}

}  // namespace
}  // namespace tritonbench
