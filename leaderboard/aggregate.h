// Turns run records into leaderboard rows, one per (suite, suite version,
// configuration, model, hardware). Definitions (also in leaderboard/README.md):
//
// - The tasks of a suite version are every task id seen in any loaded run of that
//   (suite, suite_content_hash). A task a run did not evaluate counts as failed.
// - Call / execution accuracy: per run, the share of the suite's tasks with call_ok /
//   execution_ok; the row shows the mean over its runs, with the min and max.
// - Per task, over the row's runs: correct when execution_ok in more than half of them;
//   speedup = median of the speedups of the runs where it was correct and timed.
// - Speedup: over the correct, timed tasks' speedups, the arithmetic mean (GEAK's
//   "speedup") and the geometric mean, each with a percentile-bootstrap 95% interval
//   (BootstrapInterval, options' samples and seed).
// - fast_p (KernelBench): share of all the suite's tasks that are correct AND have
//   speedup > p. Unset ("-") when no task of the row was timed (CPU-only runs).
// - Iterations to first correct, LLM calls, tokens, cost: from RunRecord.generations,
//   per (run, task) pair that has one; unset when the row has none.
// - Rows of one suite with different suite versions are never merged; each is flagged.
#ifndef TRITONBENCH_LEADERBOARD_AGGREGATE_H_
#define TRITONBENCH_LEADERBOARD_AGGREGATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/proto/evaluation.pb.h"
#include "leaderboard/proto/leaderboard.pb.h"
#include "leaderboard/run_loader.h"

namespace tritonbench {

struct AggregateOptions {
  int bootstrap_samples = 2000;
  uint64_t bootstrap_seed = 20261125;
  std::vector<double> fast_p_thresholds = {0, 0.5, 0.8, 1.0, 1.5, 2.0};
  // Most points of an accuracy-against-LLM-calls curve.
  int max_curve_points = 200;
};

// One row from the runs that share its key (all must share suite, suite hash,
// configuration, model and hardware); `suite_tasks` are the suite version's task ids.
Row AggregateRow(const std::vector<const LoadedRun*>& runs, const std::vector<std::string>& suite_tasks,
                 const AggregateOptions& options);

// Fills `cell` (runs, call/execution counts, correctness, speedup median and min-max,
// failures) from one task's results in `expected_runs` runs; runs without a result
// (expected_runs - results.size()) count as failed, "MISSING".
void FillTaskCell(const std::vector<const EvaluationResult*>& results, int expected_runs, TaskCell* cell);

// From `row`'s task cells and tasks: speedup mean and geomean over the correct, timed
// tasks, task_speedup_spread_max and fast_p (unset when no cell was timed).
void SetSpeedupSummary(const AggregateOptions& options, Row* row);

// One line of a row's software list: backend, runtime, driver, torch, triton, python.
std::string SoftwareLine(const Environment& env);

// The whole leaderboard: `current` rows (leaderboard/current_suite.h; may be empty),
// measured rows from `loaded.runs`, then `reported` rows (kept apart: kind "reported",
// never aggregated), `loaded.skipped` carried over. Rows are ordered by suite, then
// current, measured, reported, then suite version, execution accuracy and
// geometric-mean speedup (both descending), then key.
Leaderboard BuildLeaderboard(const LoadedRuns& loaded, const std::vector<Row>& reported,
                             const AggregateOptions& options, const std::vector<Row>& current = {});

// "suite|hash|configuration|model|hardware" for measured rows, "reported|..." else.
std::string RowKey(const Row& row);

// environment.device_name, else backend, else "unknown".
std::string HardwareName(const RunRecord& record);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_AGGREGATE_H_
