#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leaderboard/verify.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

EvaluationResult Timed(double speedup, double low = 0, double high = 0) {
  EvaluationResult r;
  r.set_timing_available(true);
  r.set_speedup(speedup);
  r.set_speedup_ci_low(low);
  r.set_speedup_ci_high(high);
  return r;
}

TEST(SpeedupAgreesTest, InsideTheRecordedIntervalWhenThereIsOne) {
  std::string expected;
  EXPECT_TRUE(SpeedupAgrees(Timed(1.5, 1.4, 1.6), Timed(1.41), 0.01, &expected));
  EXPECT_EQ(expected, "[1.4, 1.6]");
  EXPECT_FALSE(SpeedupAgrees(Timed(1.5, 1.4, 1.6), Timed(1.39), 0.5, &expected)) << "the interval, not the tolerance";
  EXPECT_FALSE(SpeedupAgrees(Timed(1.5, 1.4, 1.6), Timed(1.61), 0.5, &expected));
}

TEST(SpeedupAgreesTest, WithinTheToleranceOtherwise) {
  std::string expected;
  EXPECT_TRUE(SpeedupAgrees(Timed(2.0), Timed(2.29), 0.15, &expected));
  EXPECT_THAT(expected, HasSubstr("2 +/- 15%"));
  EXPECT_FALSE(SpeedupAgrees(Timed(2.0), Timed(2.31), 0.15, &expected));
  EXPECT_FALSE(SpeedupAgrees(Timed(2.0), Timed(1.69), 0.15, &expected));
}

TEST(SpeedupAgreesTest, AnUntimedReJudgeNeverAgrees) {
  std::string expected;
  EvaluationResult untimed;
  EXPECT_FALSE(SpeedupAgrees(Timed(1.0), untimed, 10, &expected));
}

TEST(RenderVerdictTest, SaysEachCheckAndTheVerdict) {
  Verdict v;
  v.run_dir = "runs/a";
  v.run = "ground_truth on suite rocm";
  v.checks.push_back({"schema", CheckState::kPassed, "parse and agree", {}});
  v.checks.push_back({"release", CheckState::kFailed, "release 1.0", {"FAILED results.jsonl:3 (task x): release"}});
  v.checks.push_back({"transcripts", CheckState::kNotApplicable, "not an LLM run", {}});
  const std::string text = RenderVerdict(v);
  EXPECT_THAT(text, HasSubstr("leaderboard verify runs/a\nrun: ground_truth on suite rocm\n"));
  EXPECT_THAT(text, HasSubstr("[OK] schema: parse and agree\n"));
  EXPECT_THAT(text, HasSubstr("[FAILED] release: release 1.0\n    FAILED results.jsonl:3 (task x): release\n"));
  EXPECT_THAT(text, HasSubstr("[n/a] transcripts"));
  EXPECT_THAT(text, HasSubstr("VERDICT: FAILED (schema passed; release failed; transcripts not run or not applicable)"));
  EXPECT_FALSE(v.passed());
  v.checks[1].state = CheckState::kPassed;
  EXPECT_TRUE(v.passed());
}

}  // namespace
}  // namespace tritonbench
