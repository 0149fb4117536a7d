#include "leaderboard/aggregate.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/release.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

std::string Hash(const std::string& task) { return Sha256Hex(task); }

// Suite "s", release "1.0" of tasks a..e (content hash of each: Hash(id));
// categories: a, b "cat1"; c, d, e "cat2".
SuiteCatalog Suite(const std::vector<std::string>& tasks = {"a", "b", "c", "d", "e"}) {
  SuiteCatalog suite;
  suite.name = "s";
  suite.dir = "suites/s";
  suite.releases.set_suite("s");
  Release* r = suite.releases.add_releases();
  r->set_name("1.0");
  r->set_date("2026-12-01");
  for (const auto& t : tasks) {
    ReleasedTask* task = r->add_tasks();
    task->set_id(t);
    task->set_content_hash(Hash(t));
    suite.categories[t] = t < "c" ? "cat1" : "cat2";
    suite.tree_hashes[t] = Hash(t);
    suite.task_dirs[t] = "suites/s/" + t;
  }
  r->set_manifest_hash(ManifestHash(*r));
  return suite;
}

// Correct and timed; each (ground truth ms, candidate ms) pair is a performance case.
EvaluationResult Correct(const std::string& task, std::vector<std::pair<double, double>> cases) {
  EvaluationResult r;
  r.set_task_id(task);
  r.set_task_content_hash(Hash(task));
  r.set_call_ok(true);
  r.set_execution_ok(true);
  double log_sum = 0;
  for (const auto& [gt, candidate] : cases) {
    PerformanceResult* p = r.add_performance();
    p->mutable_ground_truth()->set_median_ms(gt);
    p->mutable_candidate()->set_median_ms(candidate);
    log_sum += std::log(gt / candidate);
  }
  r.set_timing_available(!cases.empty());
  if (!cases.empty()) r.set_speedup(std::exp(log_sum / cases.size()));
  return r;
}

EvaluationResult Speedup(const std::string& task, double speedup) { return Correct(task, {{speedup, 1.0}}); }

EvaluationResult Failed(const std::string& task, FailureKind kind, bool call_ok, const std::string& message = "") {
  EvaluationResult r;
  r.set_task_id(task);
  r.set_task_content_hash(Hash(task));
  r.set_call_ok(call_ok);
  r.set_failure_kind(kind);
  r.set_message(message);
  return r;
}

LoadedRun MakeRun(const std::string& dir, const std::string& configuration, std::vector<EvaluationResult> results) {
  LoadedRun run;
  run.dir = dir;
  RunRecord& r = run.record;
  r.set_run_id(dir);
  r.set_suite("s");
  r.set_suite_content_hash("x");
  r.set_configuration(configuration);
  r.set_harness_content_hash("h");
  r.mutable_environment()->set_device_name("GPU X");
  for (auto& result : results) *r.add_results() = std::move(result);
  return run;
}

// An LLM configuration's run: every result gets a generation (one iteration).
LoadedRun LlmRun(const std::string& dir, std::vector<EvaluationResult> results) {
  LoadedRun run = MakeRun(dir, "zero_shot", std::move(results));
  run.record.mutable_model()->set_name("model-a");
  for (const auto& r : run.record.results()) {
    TaskGeneration* g = run.record.add_generations();
    g->set_task_id(r.task_id());
    g->set_iterations(1);
    g->set_llm_calls(1);
    if (r.execution_ok()) g->set_iterations_to_first_correct(1);
  }
  return run;
}

const Row* Find(const Leaderboard& board, const std::string& configuration) {
  for (const auto& row : board.rows()) {
    if (row.configuration() == configuration) return &row;
  }
  return nullptr;
}

std::vector<double> Shares(const Row& row) {
  std::vector<double> shares;
  for (const auto& f : row.fast_p()) shares.push_back(f.share());
  return shares;
}

// A release whose prompts show the ground-truth kernel (TaskSpec.reference_in_prompt):
// its model rows say so; a reference row, which no prompt made, does not.
TEST(AggregateTest, ModelRowsOfTasksThatShowTheGroundTruthAreLabelled) {
  LoadedRuns loaded;
  loaded.runs.push_back(LlmRun("llm", {Speedup("a", 2.0), Speedup("b", 1.0)}));
  loaded.runs.push_back(MakeRun("gt", "ground_truth", {Speedup("a", 1.0), Speedup("b", 1.0)}));
  SuiteCatalog suite = Suite();
  Leaderboard plain = BuildLeaderboard(loaded, {suite}, {}, AggregateOptions());
  for (const auto& row : plain.rows()) {
    for (const auto& flag : row.flags()) EXPECT_EQ(flag.find("ground truth in the prompt"), std::string::npos);
  }
  suite.reference_in_prompt = {"a", "b", "c"};
  Leaderboard board = BuildLeaderboard(loaded, {suite}, {}, AggregateOptions());
  const Row* model = Find(board, "zero_shot");
  const Row* reference = Find(board, "ground_truth");
  ASSERT_NE(model, nullptr);
  ASSERT_NE(reference, nullptr);
  bool labelled = false;
  for (const auto& flag : model->flags()) {
    labelled |= flag.rfind("ground truth in the prompt: 3 of the release's 5 task(s) show the model", 0) == 0;
  }
  EXPECT_TRUE(labelled);
  for (const auto& flag : reference->flags()) EXPECT_EQ(flag.find("ground truth in the prompt"), std::string::npos);
}

// A suite imported from GEAK-eval: one LLM run, judged both ways. a: correct both
// ways (2x); b: correct by GEAK-eval's rules only (its broadcast shape), timed at 4x;
// c: correct by the strict rules only (GEAK-eval's 1e-3 inside a dict); d: a syntax
// error; e: the worker died (no upstream verdict).
TEST(AggregateTest, AnImportedSuiteGetsAStrictAndAnUpstreamRow) {
  auto with = [](EvaluationResult r, bool call, bool exec, const std::string& message = "") {
    r.mutable_upstream()->set_call_ok(call);
    r.mutable_upstream()->set_execution_ok(exec);
    r.mutable_upstream()->set_message(message);
    return r;
  };
  EvaluationResult b = Correct("b", {{4.0, 1.0}});
  b.set_execution_ok(false);
  b.set_failure_kind(WRONG_SHAPE);
  EvaluationResult c = Speedup("c", 0.5);
  LoadedRuns loaded;
  loaded.runs.push_back(LlmRun("llm", {with(Speedup("a", 2.0), true, true), with(b, true, true),
                                       with(c, true, false, "result_gold.values()[0] differs"),
                                       with(Failed("d", SYNTAX_ERROR, false), false, false, "call fails"),
                                       Failed("e", TIMEOUT, false)}));
  SuiteCatalog suite = Suite();
  suite.upstream = true;
  Leaderboard board = BuildLeaderboard(loaded, {suite}, {}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 2);
  const Row* strict = nullptr;
  const Row* upstream = nullptr;
  for (const auto& row : board.rows()) (row.judge() == "strict" ? strict : upstream) = &row;
  ASSERT_NE(strict, nullptr);
  ASSERT_NE(upstream, nullptr);
  EXPECT_EQ(strict->key(), "s|1.0|zero_shot|model-a|GPU X|judge=strict");
  EXPECT_EQ(upstream->key(), "s|1.0|zero_shot|model-a|GPU X|judge=upstream");
  EXPECT_DOUBLE_EQ(strict->execution_accuracy(), 2.0 / 5);   // a, c
  EXPECT_DOUBLE_EQ(upstream->execution_accuracy(), 2.0 / 5);  // a, b
  EXPECT_DOUBLE_EQ(upstream->call_accuracy(), 3.0 / 5);
  // GEAK's speedup over each row's correct tasks: strict (2 + 0.5) / 2, upstream (2 + 4) / 2.
  EXPECT_DOUBLE_EQ(strict->speedup_geak().value(), 1.25);
  EXPECT_DOUBLE_EQ(upstream->speedup_geak().value(), 3.0);
  const TaskCell& cell_c = upstream->task_cells(2);
  EXPECT_FALSE(cell_c.correct());
  EXPECT_EQ(cell_c.failures(), "WRONG_VALUES x1");
  EXPECT_NE(cell_c.verdict().find("result_gold.values()[0] differs"), std::string::npos);
  EXPECT_EQ(upstream->task_cells(3).failures(), "SYNTAX_ERROR x1");
  EXPECT_EQ(upstream->task_cells(4).failures(), "TIMEOUT x1");
  EXPECT_EQ(strict->task_cells(1).failures(), "WRONG_SHAPE x1");
}

// The ground truth measured 3 of the release's 5 tasks, all correct: 100% of what it
// measured, 60% of the release, flagged partial.
TEST(AggregateTest, CoverageIsNotAccuracy) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("gt", "ground_truth", {Speedup("a", 1), Speedup("b", 1), Speedup("c", 1)}));
  Leaderboard board = BuildLeaderboard(loaded, {Suite()}, {}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 1);
  const Row& row = board.rows(0);
  EXPECT_EQ(row.key(), "s|1.0|ground_truth||GPU X");
  EXPECT_EQ(row.group(), "reference");
  EXPECT_EQ(row.tasks(), 5);
  EXPECT_EQ(row.tasks_measured(), 3);
  EXPECT_DOUBLE_EQ(row.execution_accuracy_measured(), 1.0);
  EXPECT_DOUBLE_EQ(row.call_accuracy_measured(), 1.0);
  EXPECT_DOUBLE_EQ(row.execution_accuracy(), 0.6);
  EXPECT_DOUBLE_EQ(row.call_accuracy(), 0.6);
  ASSERT_EQ(row.flags_size(), 1);
  EXPECT_EQ(row.flags(0), "partial: measured 3 of the 5 tasks of release 1.0; accuracy over the release counts "
                          "the other 2 as failed");
  EXPECT_EQ(row.task_cells(0).files(0), "suites/s/a/kernel.py");
  EXPECT_EQ(row.task_cells(4).runs(), 0);
  EXPECT_EQ(row.pass_at_k_size(), 0);  // a reference row has no runs to sample
  ASSERT_EQ(board.releases_size(), 1);
  EXPECT_EQ(board.releases(0).tasks(2).kernel_path(), "suites/s/c/kernel.py");
  EXPECT_TRUE(board.releases(0).latest());
}

// One zero-shot run over a..e: a, b, c correct; d runs but is wrong; e never measured.
//   call 4/5, exec 3/5 over the release; over the 4 measured: call 1, exec 3/4.
//   Harness speedups: a sqrt(3 * 1) (cases 3/1 and 1/1), b 0.5, c 1.0; geomean of them.
//   GEAK's: a (3 + 1) / (1 + 1) = 2.0, b 0.5, c 1.0; mean 3.5 / 3. Its bootstrap with 4
//   resamples and seed 7 over (2.0, 0.5, 1.0), by hand in stats_test.cc: [0.7041666, 1.9625].
//   fast_p over all 5, correct AND speedup > p: p=0 3/5; 0.5 a,c 2/5; 0.8 2/5; 1 a 1/5;
//   1.5 a 1/5 (1.73 > 1.5); 2 none.
//   pass@1 = 3/5. Categories: cat1 (a, b) 2 measured, 2 correct; cat2 (c, d, e) 2, 1.
TEST(AggregateTest, OneRunByHand) {
  LoadedRuns loaded;
  loaded.runs.push_back(LlmRun("zs", {Correct("a", {{3, 1}, {1, 1}}), Speedup("b", 0.5), Speedup("c", 1.0),
                                      Failed("d", WRONG_VALUES, true, "case 'x': 3 of 8 outside tolerance\nmore")}));
  AggregateOptions options;
  options.bootstrap_samples = 4;
  options.bootstrap_seed = 7;
  Leaderboard board = BuildLeaderboard(loaded, {Suite()}, {}, options);
  const Row* row = Find(board, "zero_shot");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->group(), "model");
  EXPECT_EQ(row->runs(), 1);
  EXPECT_EQ(row->tasks_measured(), 4);
  EXPECT_DOUBLE_EQ(row->call_accuracy(), 0.8);
  EXPECT_DOUBLE_EQ(row->execution_accuracy(), 0.6);
  EXPECT_DOUBLE_EQ(row->call_accuracy_measured(), 1.0);
  EXPECT_DOUBLE_EQ(row->execution_accuracy_measured(), 0.75);
  EXPECT_NEAR(row->speedup_geomean().value(), std::cbrt(std::sqrt(3.0) * 0.5), 1e-12);
  EXPECT_NEAR(row->speedup_geak().value(), 3.5 / 3, 1e-12);
  EXPECT_EQ(row->speedup_geak().n(), 3);
  EXPECT_NEAR(row->speedup_geak().ci_low(), 0.7041666666666667, 1e-12);
  EXPECT_NEAR(row->speedup_geak().ci_high(), 1.9625, 1e-12);
  EXPECT_FALSE(row->has_speedup_mean());
  EXPECT_NEAR(row->task_cells(0).speedup_geak(), 2.0, 1e-12);
  EXPECT_EQ(Shares(*row), (std::vector<double>{0.6, 0.4, 0.4, 0.2, 0.2, 0.0}));
  ASSERT_EQ(row->pass_at_k_size(), 1);
  EXPECT_DOUBLE_EQ(row->pass_at_k(0).value(), 0.6);
  EXPECT_EQ(row->task_cells(3).failures(), "WRONG_VALUES x1");
  EXPECT_EQ(row->task_cells(3).verdict(), "WRONG_VALUES: case 'x': 3 of 8 outside tolerance");
  EXPECT_EQ(row->task_cells(4).failures(), "MISSING x1");
  EXPECT_FALSE(row->task_cells(4).correct());
  ASSERT_EQ(row->categories_size(), 2);
  EXPECT_EQ(row->categories(0).category(), "cat1");
  EXPECT_EQ(row->categories(0).measured(), 2);
  EXPECT_EQ(row->categories(0).correct(), 2);
  EXPECT_NEAR(row->categories(0).speedup_geak(), 1.25, 1e-12);
  EXPECT_EQ(row->categories(1).tasks(), 3);
  EXPECT_EQ(row->categories(1).measured(), 2);
  EXPECT_EQ(row->categories(1).correct(), 1);
  EXPECT_EQ(row->flags(0).rfind("partial: measured 4 of the 5", 0), 0u);
}

// Three runs over a, b, c: a correct in all (speedups 1, 3, 2 -> median 2); b only in
// run 2 (no majority: not correct); c in runs 1 and 2 (1x, 2x -> 1.5).
//   Execution accuracy per run 2/3, 3/3, 1/3 -> mean 2/3, min 1/3, max 1.
//   Speedups of correct tasks (2, 1.5): geometric mean sqrt(3).
//   pass@k with n = 3, c = 3, 1, 2: k=1 (1 + 1/3 + 2/3) / 3 = 2/3; k=2 (1 + 2/3 + 1) / 3
//   = 8/9 (b: 1 - C(2,2)/C(3,2)); k=3: 1.
TEST(AggregateTest, SeveralRunsTakeMedianMajorityAndPassAtK) {
  LoadedRuns loaded;
  loaded.runs.push_back(LlmRun("r1", {Speedup("a", 1), Failed("b", RUNTIME_ERROR, false), Speedup("c", 1)}));
  loaded.runs.push_back(LlmRun("r2", {Speedup("a", 3), Speedup("b", 5), Speedup("c", 2)}));
  loaded.runs.push_back(LlmRun("r3", {Speedup("a", 2), Failed("b", TIMEOUT, false), Failed("c", WRONG_VALUES, true)}));
  Leaderboard board = BuildLeaderboard(loaded, {Suite({"a", "b", "c"})}, {}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 1);
  const Row& row = board.rows(0);
  EXPECT_EQ(row.runs(), 3);
  EXPECT_EQ(row.tasks_measured(), 3);
  EXPECT_NEAR(row.execution_accuracy(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(row.execution_accuracy_measured(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(row.execution_accuracy_min(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(row.execution_accuracy_max(), 1.0, 1e-12);
  EXPECT_NEAR(row.call_accuracy(), (2 + 3 + 2) / 9.0, 1e-12);
  EXPECT_NEAR(row.speedup_geomean().value(), std::sqrt(3.0), 1e-12);
  EXPECT_FALSE(row.task_cells(1).correct());
  EXPECT_EQ(row.task_cells(1).failures(), "RUNTIME_ERROR x1, TIMEOUT x1");
  EXPECT_DOUBLE_EQ(row.task_cells(0).speedup(), 2.0);
  EXPECT_DOUBLE_EQ(row.task_cells(2).speedup(), 1.5);
  ASSERT_EQ(row.pass_at_k_size(), 3);
  EXPECT_NEAR(row.pass_at_k(0).value(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(row.pass_at_k(1).value(), 8.0 / 9, 1e-12);
  EXPECT_NEAR(row.pass_at_k(2).value(), 1.0, 1e-12);
  EXPECT_NEAR(row.task_speedup_spread_max(), 1.0, 1e-12);
  EXPECT_NEAR(row.speedup_geomean_run_max(), std::cbrt(30.0), 1e-12);
}

TEST(AggregateTest, PassAtKEstimator) {
  EXPECT_DOUBLE_EQ(PassAtKEstimate(3, 1, 2), 2.0 / 3);
  EXPECT_DOUBLE_EQ(PassAtKEstimate(10, 0, 5), 0.0);
  EXPECT_DOUBLE_EQ(PassAtKEstimate(10, 10, 1), 1.0);
  // 1 - C(7, 3) / C(10, 3) = 1 - 35 / 120.
  EXPECT_NEAR(PassAtKEstimate(10, 3, 3), 1 - 35.0 / 120, 1e-12);
}

// Reference rows combine partial runs: a measured twice (its spread shown), b once.
TEST(AggregateTest, ReferenceRowsCombinePartialRuns) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("r1", "torch_compile", {Speedup("a", 2.0), Speedup("b", 0.5)}));
  loaded.runs.push_back(MakeRun("r2", "torch_compile", {Speedup("a", 3.0)}));
  Leaderboard board = BuildLeaderboard(loaded, {Suite({"a", "b", "c"})}, {}, AggregateOptions());
  ASSERT_EQ(board.rows_size(), 1);
  const Row& row = board.rows(0);
  EXPECT_EQ(row.runs(), 2);
  EXPECT_EQ(row.tasks_measured(), 2);
  EXPECT_EQ(row.task_cells(0).runs(), 2);
  EXPECT_DOUBLE_EQ(row.task_cells(0).speedup(), 2.5);
  EXPECT_DOUBLE_EQ(row.task_cells(0).speedup_min(), 2.0);
  EXPECT_EQ(row.task_cells(0).files(0), "suites/s/a/reference.py");
  EXPECT_NEAR(row.execution_accuracy(), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(row.execution_accuracy_measured(), 1.0);
  EXPECT_EQ(row.flags(0), "combined from 2 run records; results per measured task: 1 tasks 1x, 1 tasks 2x");
}

// Two agent runs over x, y. Run 1: x first correct at iteration 2 of 3 (2 of 3 calls,
// 150 tokens, $0.30), y never (4 iterations). Run 2: x at 1, y at 3 (of 3).
//   Accuracy within i iterations, mean over runs: 1: (0 + 1/2)/2 = 1/4; 2: 1/2; 3: 3/4; 4: 3/4.
//   iterations to first correct: median of (2, 1, 3) = 2; histogram never:1, 1:1, 2:1, 3:1.
TEST(AggregateTest, SequentialScalingAndLlmFigures) {
  LoadedRuns loaded;
  auto add_gen = [](LoadedRun* run, const std::string& task, int iterations, int first, double cost) {
    TaskGeneration* g = run->record.add_generations();
    g->set_task_id(task);
    g->set_iterations(iterations);
    g->set_llm_calls(iterations);
    if (first > 0) {
      g->set_iterations_to_first_correct(first);
      g->set_llm_calls_to_first_correct(first);
    }
    g->set_prompt_tokens(100);
    g->set_completion_tokens(50);
    g->set_cost_usd(cost);
  };
  LoadedRun r1 = MakeRun("r1", "agent", {Speedup("x", 1.5), Failed("y", WRONG_VALUES, true)});
  r1.record.mutable_model()->set_name("model-a");
  add_gen(&r1, "x", 3, 2, 0.3);
  add_gen(&r1, "y", 4, 0, 0.4);
  LoadedRun r2 = MakeRun("r2", "agent", {Speedup("x", 1.0), Speedup("y", 1.0)});
  r2.record.mutable_model()->set_name("model-a");
  add_gen(&r2, "x", 1, 1, 0.1);
  add_gen(&r2, "y", 3, 3, 0.3);
  loaded.runs.push_back(r1);
  loaded.runs.push_back(r2);
  const Leaderboard board = BuildLeaderboard(loaded, {Suite({"x", "y"})}, {}, AggregateOptions());
  const Row& row = board.rows(0);
  ASSERT_EQ(row.iterations_curve_size(), 4);
  EXPECT_DOUBLE_EQ(row.iterations_curve(0).execution_accuracy(), 0.25);
  EXPECT_DOUBLE_EQ(row.iterations_curve(1).execution_accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(row.iterations_curve(2).execution_accuracy(), 0.75);
  EXPECT_EQ(row.iterations_curve(3).iterations(), 4);
  EXPECT_DOUBLE_EQ(row.iterations_curve(3).execution_accuracy(), 0.75);
  EXPECT_DOUBLE_EQ(row.iterations_to_first_correct_median(), 2);
  ASSERT_EQ(row.iterations_histogram_size(), 4);
  EXPECT_EQ(row.iterations_histogram(0).iterations(), 0);
  EXPECT_EQ(row.iterations_histogram(0).count(), 1);
  EXPECT_DOUBLE_EQ(row.llm_calls_per_task(), (3 + 4 + 1 + 3) / 4.0);
  EXPECT_DOUBLE_EQ(row.tokens_per_task(), 150);
  EXPECT_NEAR(row.cost_usd_per_task(), 0.275, 1e-12);
  EXPECT_EQ(row.calls_curve_size(), 4);
  EXPECT_DOUBLE_EQ(row.calls_curve(2).execution_accuracy(), 0.75);
  EXPECT_DOUBLE_EQ(row.task_cells(0).iterations_to_first_correct(), 1.5);
}

TEST(AggregateTest, CpuRunsHaveNoSpeedupOrFastP) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("cpu", "ground_truth", {Correct("a", {}), Correct("b", {})}));
  const Leaderboard board = BuildLeaderboard(loaded, {Suite({"a", "b"})}, {}, AggregateOptions());
  const Row& row = board.rows(0);
  EXPECT_DOUBLE_EQ(row.execution_accuracy(), 1.0);
  EXPECT_FALSE(row.has_speedup_geak());
  EXPECT_FALSE(row.has_speedup_geomean());
  EXPECT_EQ(row.fast_p_size(), 0);
}

// Rows of two releases stay apart, newest release first, models before references;
// reported rows follow the measured rows of their suite and keep their figures.
TEST(AggregateTest, ReleasesGroupsAndReportedRowsAreOrdered) {
  SuiteCatalog suite = Suite({"a", "b"});
  Release* newer = suite.releases.add_releases();
  *newer = suite.releases.releases(0);
  newer->set_name("1.1");
  newer->mutable_tasks(1)->set_content_hash(Hash("b, edited"));
  newer->set_manifest_hash(ManifestHash(*newer));
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("gt", "ground_truth", {Speedup("a", 1), Speedup("b", 1)}));
  loaded.runs.push_back(LlmRun("zs", {Speedup("a", 1)}));
  Row reported;
  reported.set_suite("s+t");
  reported.set_configuration("paper agent");
  reported.mutable_speedup_geak()->set_value(2.59);
  reported.set_source("a paper");
  Leaderboard board = BuildLeaderboard(loaded, {suite}, {reported}, AggregateOptions());
  std::vector<std::string> keys;
  for (const auto& row : board.rows()) keys.push_back(row.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"s|1.1|zero_shot|model-a|GPU X", "s|1.1|ground_truth||GPU X",
                                            "s|1.0|zero_shot|model-a|GPU X", "s|1.0|ground_truth||GPU X",
                                            "reported|s+t|paper agent||"}));
  EXPECT_EQ(board.rows(1).tasks_measured(), 1);  // b measured with 1.0's content only
  EXPECT_EQ(board.rows(4).group(), "reported");
  EXPECT_EQ(board.rows(4).runs(), 0);
  EXPECT_EQ(board.releases(0).name(), "1.1");
  EXPECT_FALSE(board.releases(1).latest());
  EXPECT_EQ(board.records_in_releases(), 2);
}

}  // namespace
}  // namespace tritonbench
