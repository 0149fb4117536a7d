// Turns run records into leaderboard rows, one per (suite, release, configuration,
// model, hardware), over the release's tasks (which results count: leaderboard/catalog.h).
// Definitions (also in leaderboard/README.md):
//
// - Rows of records with generations (LLM configurations) take each run as one of n
//   runs: a task a run did not measure counts as failed in that run; per run, call and
//   execution accuracy are shares of the tasks; the row shows their mean over runs.
//   Other rows (ground truth, PyTorch baselines) combine every run that measured tasks
//   of the release: per task, its counted results, whatever run gave them.
// - Per task: correct when execution_ok in more than half of its results (LLM rows: of
//   the n runs); speedup = median over the results that were correct and timed, with
//   their min-max; GEAK's speedup likewise from each result's sum of ground-truth
//   medians over its performance cases / sum of the candidate's.
// - Coverage: tasks_measured of the release's tasks. Accuracy over the measured tasks
//   (`*_measured`) and over the whole release (a task not measured counts as failed).
// - Speedup: over the correct, timed tasks, the geometric mean of the harness's speedup
//   and GEAK's arithmetic mean of its own, each with a percentile-bootstrap 95%
//   interval (BootstrapInterval, options' samples and seed).
// - fast_p (KernelBench): share of the release's tasks that are correct AND have
//   speedup > p. Unset when no task of the row was timed (CPU-only runs).
// - LLM rows: pass@k for k = 1..n (PassAtK); execution accuracy within i iterations
//   and within k LLM calls (from TaskGeneration, averaged over runs); iterations to
//   first correct, LLM calls, tokens, cost per (run, task) pair.
// - Per category (TaskSpec.category): tasks, measured, correct, speedups.
// - A suite imported from GEAK-eval (SuiteCatalog.upstream) gets two rows per group of
//   runs: judge "strict" (the results as they are) and judge "upstream" (UpstreamView
//   of each result: GEAK-eval's verdicts; the same timings).
#ifndef TRITONBENCH_LEADERBOARD_AGGREGATE_H_
#define TRITONBENCH_LEADERBOARD_AGGREGATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/proto/evaluation.pb.h"
#include "leaderboard/catalog.h"
#include "leaderboard/proto/leaderboard.pb.h"
#include "leaderboard/run_loader.h"

namespace tritonbench {

struct AggregateOptions {
  int bootstrap_samples = 2000;
  uint64_t bootstrap_seed = 20261125;
  std::vector<double> fast_p_thresholds = {0, 0.5, 0.8, 1.0, 1.5, 2.0};
  // Most points of an accuracy-against-budget curve.
  int max_curve_points = 200;
};

// The configurations of rows grouped as "reference" (baselines/README.md).
bool IsReferenceConfiguration(const std::string& configuration);

// GEAK's per-result speedup: sum over performance cases of the ground truth's median
// time / sum of the candidate's; unset when the result was not timed or a case lacks
// either median.
std::optional<double> GeakSpeedup(const EvaluationResult& result);

// pass@k (Chen et al. 2021, unbiased): 1 - C(n-c, k) / C(n, k) for c correct of n.
double PassAtKEstimate(int n, int c, int k);

// The rows of one release: `measured.runs` grouped by (configuration, model, hardware).
std::vector<Row> ReleaseRows(const ReleaseMeasurements& measured, const AggregateOptions& options);

// The whole leaderboard: the releases of `catalogs` with their rows, then `reported`
// rows (kind "reported", never aggregated), the unreleased results, and the skipped
// records (`loaded.skipped` and the runs PlaceResults refused). Rows are ordered by
// suite, release (newest first), group (model, reference; reported rows last in their
// suite), then execution accuracy over the release and geometric-mean speedup (both
// descending), then key.
Leaderboard BuildLeaderboard(const LoadedRuns& loaded, const std::vector<SuiteCatalog>& catalogs,
                             const std::vector<Row>& reported, const AggregateOptions& options);

// "suite|release|configuration|model|hardware" for measured rows (with "|judge=<judge>"
// for the rows of an imported suite), "reported|..." else.
std::string RowKey(const Row& row);

// A result of a suite imported from GEAK-eval as GEAK-eval's rules judged it: its
// call_ok and execution_ok from EvaluationResult.upstream (false when absent: the run
// did not finish), the failure WRONG_VALUES for GEAK-eval's mismatch, or the strict
// failure when the call failed at the same stage (else RUNTIME_ERROR), with
// GEAK-eval's message. The timing is the same measurement.
EvaluationResult UpstreamView(const EvaluationResult& result);

// environment.device_name, else backend, else "unknown".
std::string HardwareName(const RunRecord& record);

// One line of a row's software list: backend, runtime, driver, torch, triton, python.
std::string SoftwareLine(const Environment& env);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_AGGREGATE_H_
