#include "leaderboard/aggregate.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tritonbench {
namespace {

EvaluationResult Correct(const std::string& task, double speedup) {
  EvaluationResult r;
  r.set_task_id(task);
  r.set_call_ok(true);
  r.set_execution_ok(true);
  r.set_timing_available(speedup > 0);
  r.set_speedup(speedup);
  return r;
}

EvaluationResult Failed(const std::string& task, FailureKind kind, bool call_ok) {
  EvaluationResult r;
  r.set_task_id(task);
  r.set_call_ok(call_ok);
  r.set_failure_kind(kind);
  return r;
}

LoadedRun MakeRun(const std::string& dir, const std::string& configuration, std::vector<EvaluationResult> results,
              const std::string& suite_hash = "hash-1") {
  LoadedRun run;
  run.dir = dir;
  RunRecord& r = run.record;
  r.set_run_id(dir);
  r.set_suite("s");
  r.set_suite_content_hash(suite_hash);
  r.set_configuration(configuration);
  r.set_harness_content_hash("h");
  r.mutable_environment()->set_device_name("GPU X");
  for (auto& result : results) *r.add_results() = std::move(result);
  return run;
}

const Row* Find(const Leaderboard& board, const std::string& configuration, const std::string& hash = "hash-1") {
  for (const auto& row : board.rows()) {
    if (row.configuration() == configuration && row.suite_content_hash() == hash) return &row;
  }
  return nullptr;
}

std::vector<double> Shares(const Row& row) {
  std::vector<double> shares;
  for (const auto& f : row.fast_p()) shares.push_back(f.share());
  return shares;
}

// Five tasks (a..e, known from the ground-truth run). The "zs" run: a 2.0x, b 0.5x, c
// 1.0x correct; d runs but is wrong; e was never evaluated (counts as failed).
//   call accuracy 4/5, execution accuracy 3/5;
//   speedup mean (2 + 0.5 + 1) / 3 = 1.1667, geometric mean (2 * 0.5 * 1)^(1/3) = 1;
//   fast_p, over all 5 tasks, correct AND speedup > p (strict):
//     p=0: a,b,c 3/5; p=0.5: a,c 2/5; p=0.8: a,c 2/5; p=1: a 1/5; p=1.5: a 1/5; p=2: none.
//   Bootstrap with 4 resamples and seed 7 over (2.0, 0.5, 1.0) (task order), by hand in
//   stats_test.cc: mean interval [0.7041666, 1.9625].
TEST(AggregateTest, OneRunByHand) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("gt", "ground_truth",
                            {Correct("a", 1), Correct("b", 1), Correct("c", 1), Correct("d", 1), Correct("e", 1)}));
  loaded.runs.push_back(
      MakeRun("zs", "zs", {Correct("a", 2.0), Correct("b", 0.5), Correct("c", 1.0), Failed("d", WRONG_VALUES, true)}));
  AggregateOptions options;
  options.bootstrap_samples = 4;
  options.bootstrap_seed = 7;
  Leaderboard board = BuildLeaderboard(loaded, {}, options);
  const Row* row = Find(board, "zs");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->tasks(), 5);
  EXPECT_EQ(row->runs(), 1);
  EXPECT_DOUBLE_EQ(row->call_accuracy(), 0.8);
  EXPECT_DOUBLE_EQ(row->execution_accuracy(), 0.6);
  EXPECT_NEAR(row->speedup_mean().value(), 3.5 / 3, 1e-12);
  EXPECT_NEAR(row->speedup_geomean().value(), 1.0, 1e-12);
  EXPECT_EQ(row->speedup_mean().n(), 3);
  EXPECT_NEAR(row->speedup_mean().ci_low(), 0.7041666666666667, 1e-12);
  EXPECT_NEAR(row->speedup_mean().ci_high(), 1.9625, 1e-12);
  EXPECT_EQ(Shares(*row), (std::vector<double>{0.6, 0.4, 0.4, 0.2, 0.2, 0.0}));
  ASSERT_EQ(row->task_cells_size(), 5);
  EXPECT_EQ(row->task_cells(3).failures(), "WRONG_VALUES x1");
  EXPECT_EQ(row->task_cells(4).failures(), "MISSING x1");
  EXPECT_FALSE(row->task_cells(4).correct());
  // No LLM figures in these records: absent, so shown as "-".
  EXPECT_FALSE(row->has_llm_calls_per_task());
  EXPECT_FALSE(row->has_iterations_to_first_correct_median());
  EXPECT_EQ(row->calls_curve_size(), 0);
  EXPECT_EQ(board.records_loaded(), 2);
}

// Three runs of one configuration over tasks a, b, c:
//   a: correct in all, speedups 1, 3, 2 -> median 2; b: correct only in run 2 (5x) ->
//   not correct (1 of 3 is no majority); c: correct in runs 1, 2 (1x, 2x), wrong in 3 ->
//   correct, median 1.5.
//   Execution accuracy per run 2/3, 3/3, 1/3 -> mean 2/3, min 1/3, max 1.
//   Speedups of correct tasks (2, 1.5): mean 1.75, geometric mean sqrt(3).
//   fast_1 = a, c = 2/3; fast_1.5 = a = 1/3; fast_2 = 0 (2 is not > 2).
//   Spread: a (3-1)/2 = 1.0 is the largest. Per-run geometric means: run 1 (1, 1) = 1,
//   run 2 (3, 5, 2) = 30^(1/3), run 3 (2) = 2.
TEST(AggregateTest, SeveralRunsTakeMedianAndMajority) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("r1", "cfg", {Correct("a", 1), Failed("b", RUNTIME_ERROR, false), Correct("c", 1)}));
  loaded.runs.push_back(MakeRun("r2", "cfg", {Correct("a", 3), Correct("b", 5), Correct("c", 2)}));
  loaded.runs.push_back(
      MakeRun("r3", "cfg", {Correct("a", 2), Failed("b", TIMEOUT, false), Failed("c", WRONG_VALUES, true)}));
  Leaderboard board = BuildLeaderboard(loaded, {}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 1);
  const Row& row = board.rows(0);
  EXPECT_EQ(row.runs(), 3);
  EXPECT_NEAR(row.execution_accuracy(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(row.execution_accuracy_min(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(row.execution_accuracy_max(), 1.0, 1e-12);
  // Call accuracy per run: a, c / a, b, c / a, c (c ran but was wrong) -> 7/9.
  EXPECT_NEAR(row.call_accuracy(), (2 + 3 + 2) / 9.0, 1e-12);
  EXPECT_NEAR(row.speedup_mean().value(), 1.75, 1e-12);
  EXPECT_NEAR(row.speedup_geomean().value(), std::sqrt(3.0), 1e-12);
  EXPECT_EQ(row.speedup_geomean().n(), 2);
  EXPECT_LE(row.speedup_geomean().ci_low(), row.speedup_geomean().value());
  EXPECT_GE(row.speedup_geomean().ci_high(), row.speedup_geomean().value());
  const auto& b = row.task_cells(1);
  EXPECT_FALSE(b.correct());
  EXPECT_EQ(b.execution_ok_runs(), 1);
  EXPECT_EQ(b.failures(), "RUNTIME_ERROR x1, TIMEOUT x1");
  EXPECT_DOUBLE_EQ(row.task_cells(0).speedup(), 2.0);
  EXPECT_DOUBLE_EQ(row.task_cells(2).speedup(), 1.5);
  EXPECT_TRUE(row.task_cells(2).correct());
  const std::vector<double> shares = Shares(row);
  EXPECT_NEAR(shares[3], 2.0 / 3, 1e-12);  // fast_1
  EXPECT_NEAR(shares[4], 1.0 / 3, 1e-12);  // fast_1.5
  EXPECT_EQ(shares[5], 0.0);               // fast_2
  EXPECT_NEAR(row.task_speedup_spread_max(), 1.0, 1e-12);
  EXPECT_NEAR(row.speedup_geomean_run_min(), 1.0, 1e-12);
  EXPECT_NEAR(row.speedup_geomean_run_max(), std::cbrt(30.0), 1e-12);
}

// Two tasks with generations: x first correct at iteration 2 after 2 of 3 calls
// (100 + 50 tokens, $0.30); y never (4 calls, 200 + 100 tokens, $0.40).
//   iterations: median 2, histogram never:1, 2:1; calls/task 3.5; tokens 225; cost 0.35;
//   accuracy within k calls: k=1 0, k=2..4 1/2.
TEST(AggregateTest, LlmFigures) {
  LoadedRuns loaded;
  LoadedRun run = MakeRun("r", "agent", {Correct("x", 1.5), Failed("y", WRONG_VALUES, true)});
  run.record.mutable_model()->set_name("model-a");
  TaskGeneration* x = run.record.add_generations();
  x->set_task_id("x");
  x->set_iterations(3);
  x->set_iterations_to_first_correct(2);
  x->set_llm_calls(3);
  x->set_llm_calls_to_first_correct(2);
  x->set_prompt_tokens(100);
  x->set_completion_tokens(50);
  x->set_cost_usd(0.3);
  TaskGeneration* y = run.record.add_generations();
  y->set_task_id("y");
  y->set_iterations(4);
  y->set_llm_calls(4);
  y->set_prompt_tokens(200);
  y->set_completion_tokens(100);
  y->set_cost_usd(0.4);
  loaded.runs.push_back(std::move(run));
  Leaderboard board = BuildLeaderboard(loaded, {}, AggregateOptions());
  const Row& row = board.rows(0);
  EXPECT_EQ(row.model(), "model-a");
  EXPECT_DOUBLE_EQ(row.iterations_to_first_correct_median(), 2);
  ASSERT_EQ(row.iterations_histogram_size(), 2);
  EXPECT_EQ(row.iterations_histogram(0).iterations(), 0);
  EXPECT_EQ(row.iterations_histogram(0).count(), 1);
  EXPECT_EQ(row.iterations_histogram(1).iterations(), 2);
  EXPECT_DOUBLE_EQ(row.llm_calls_per_task(), 3.5);
  EXPECT_DOUBLE_EQ(row.tokens_per_task(), 225);
  EXPECT_NEAR(row.cost_usd_per_task(), 0.35, 1e-12);
  ASSERT_EQ(row.calls_curve_size(), 4);
  EXPECT_EQ(row.calls_curve(0).execution_accuracy(), 0);
  EXPECT_EQ(row.calls_curve(1).llm_calls(), 2);
  EXPECT_EQ(row.calls_curve(1).execution_accuracy(), 0.5);
  EXPECT_EQ(row.calls_curve(3).execution_accuracy(), 0.5);
}

TEST(AggregateTest, CpuRunsHaveNoSpeedupOrFastP) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("cpu", "ground_truth", {Correct("a", 0), Correct("b", 0)}));
  const Row& row = BuildLeaderboard(loaded, {}, AggregateOptions()).rows(0);
  EXPECT_DOUBLE_EQ(row.execution_accuracy(), 1.0);
  EXPECT_FALSE(row.has_speedup_mean());
  EXPECT_FALSE(row.has_speedup_geomean());
  EXPECT_EQ(row.fast_p_size(), 0);
}

// Runs of two suite versions never merge: two rows, each flagged, each with its own
// task list. Reported rows follow the measured rows of their suite and keep their figures.
TEST(AggregateTest, SuiteVersionsStayApartAndReportedRowsAreNotAggregated) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("v1", "cfg", {Correct("a", 1)}, "hash-1"));
  loaded.runs.push_back(MakeRun("v2", "cfg", {Failed("a", WRONG_VALUES, true), Correct("b", 1)}, "hash-2"));
  Row reported;
  reported.set_suite("s");
  reported.set_configuration("paper agent");
  reported.set_execution_accuracy(0.5489);
  reported.set_source("a paper");
  Leaderboard board = BuildLeaderboard(loaded, {reported}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 3);
  const Row* v1 = Find(board, "cfg", "hash-1");
  const Row* v2 = Find(board, "cfg", "hash-2");
  ASSERT_TRUE(v1 && v2);
  EXPECT_EQ(v1->tasks(), 1);
  EXPECT_DOUBLE_EQ(v1->execution_accuracy(), 1.0);
  EXPECT_EQ(v2->tasks(), 2);
  EXPECT_DOUBLE_EQ(v2->execution_accuracy(), 0.5);
  EXPECT_EQ(v1->flags_size(), 1);
  EXPECT_NE(v1->flags(0).find("one of 2 versions"), std::string::npos);
  EXPECT_NE(v1->key(), v2->key());
  EXPECT_EQ(board.rows(2).kind(), "reported");
  EXPECT_DOUBLE_EQ(board.rows(2).execution_accuracy(), 0.5489);
  EXPECT_EQ(board.rows(2).runs(), 0);
  EXPECT_EQ(board.rows(0).kind(), "measured");
}

}  // namespace
}  // namespace tritonbench
