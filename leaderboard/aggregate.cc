#include "leaderboard/aggregate.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/proto/evaluation.pb.h"
#include "leaderboard/stats.h"

namespace tritonbench {
namespace {

Estimate MakeEstimate(const std::vector<double>& values,
                      const std::function<double(const std::vector<double>&)>& statistic,
                      const AggregateOptions& options) {
  Estimate e;
  e.set_value(statistic(values));
  Interval ci = BootstrapInterval(values, statistic, options.bootstrap_samples, options.bootstrap_seed);
  e.set_ci_low(ci.low);
  e.set_ci_high(ci.high);
  e.set_n(static_cast<int>(values.size()));
  return e;
}

bool Timed(const EvaluationResult& r) { return r.execution_ok() && r.timing_available() && r.speedup() > 0; }

}  // namespace

std::string HardwareName(const RunRecord& record) {
  if (!record.environment().device_name().empty()) return record.environment().device_name();
  if (!record.environment().backend().empty()) return record.environment().backend();
  return "unknown";
}

std::string RowKey(const Row& row) {
  if (row.kind() == "reported") {
    return absl::StrJoin({std::string("reported"), row.suite(), row.configuration(), row.model(), row.hardware()}, "|");
  }
  return absl::StrJoin({row.suite(), row.suite_content_hash(), row.configuration(), row.model(), row.hardware()}, "|");
}

void FillTaskCell(const std::vector<const EvaluationResult*>& results, int expected_runs, TaskCell* cell) {
  std::vector<double> speedups;
  std::map<std::string, int> failures;
  int call = 0, exec = 0;
  for (const EvaluationResult* r : results) {
    call += r->call_ok();
    exec += r->execution_ok();
    if (!r->execution_ok()) ++failures[FailureKind_Name(r->failure_kind())];
    if (Timed(*r)) speedups.push_back(r->speedup());
  }
  if (expected_runs > static_cast<int>(results.size())) {
    failures["MISSING"] = expected_runs - static_cast<int>(results.size());
  }
  cell->set_runs(static_cast<int>(results.size()));
  cell->set_call_ok_runs(call);
  cell->set_execution_ok_runs(exec);
  cell->set_correct(2 * exec > expected_runs);
  cell->set_timed_runs(static_cast<int>(speedups.size()));
  if (!speedups.empty()) {
    cell->set_speedup(Median(speedups));
    cell->set_speedup_min(*std::min_element(speedups.begin(), speedups.end()));
    cell->set_speedup_max(*std::max_element(speedups.begin(), speedups.end()));
  }
  std::vector<std::string> failure_text;
  for (const auto& [kind, n] : failures) failure_text.push_back(absl::StrCat(kind, " x", n));
  cell->set_failures(absl::StrJoin(failure_text, ", "));
}

std::string SoftwareLine(const Environment& env) {
  return absl::StrCat(env.backend(), " ", env.runtime_version(), ", driver ", env.driver_version(), ", torch ",
                      env.torch_version(), ", triton ", env.triton_version(), ", python ", env.python_version());
}

void SetSpeedupSummary(const AggregateOptions& options, Row* row) {
  std::vector<double> correct_speedups;
  double spread_max = -1;
  bool any_timed = false;
  for (const auto& c : row->task_cells()) {
    if (!c.has_speedup()) continue;
    any_timed = true;
    if (c.timed_runs() > 1) spread_max = std::max(spread_max, (c.speedup_max() - c.speedup_min()) / c.speedup());
    if (c.correct()) correct_speedups.push_back(c.speedup());
  }
  if (spread_max >= 0) row->set_task_speedup_spread_max(spread_max);
  if (!correct_speedups.empty()) {
    *row->mutable_speedup_mean() = MakeEstimate(correct_speedups, Mean, options);
    *row->mutable_speedup_geomean() = MakeEstimate(correct_speedups, GeoMean, options);
  }
  if (!any_timed) return;
  const double tasks = row->tasks();
  for (double p : options.fast_p_thresholds) {
    int fast = 0;
    for (const auto& c : row->task_cells()) fast += c.correct() && c.has_speedup() && c.speedup() > p;
    FastP* f = row->add_fast_p();
    f->set_p(p);
    f->set_share(tasks > 0 ? fast / tasks : 0);
  }
}

Row AggregateRow(const std::vector<const LoadedRun*>& runs, const std::vector<std::string>& suite_tasks,
                 const AggregateOptions& options) {
  Row row;
  row.set_kind("measured");
  const RunRecord& first = runs.front()->record;
  row.set_suite(first.suite());
  row.set_suite_content_hash(first.suite_content_hash());
  row.set_configuration(first.configuration());
  row.set_model(first.model().name());
  row.set_hardware(HardwareName(first));
  row.set_key(RowKey(row));
  row.set_runs(static_cast<int>(runs.size()));
  row.set_command_line(first.command_line());
  const double tasks = suite_tasks.size();
  row.set_tasks(static_cast<int>(tasks));

  std::set<std::string> harness_hashes, software;
  std::vector<double> call_acc, exec_acc, run_geomeans;
  // Per run: task id -> result / generation.
  std::vector<std::map<std::string, const EvaluationResult*>> results(runs.size());
  std::vector<std::map<std::string, const TaskGeneration*>> generations(runs.size());
  bool any_generation = false;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& rec = runs[i]->record;
    row.add_run_dirs(runs[i]->dir);
    harness_hashes.insert(rec.harness_content_hash());
    software.insert(SoftwareLine(rec.environment()));
    int call = 0, exec = 0;
    std::vector<double> speedups;
    for (const auto& r : rec.results()) {
      results[i][r.task_id()] = &r;
      call += r.call_ok();
      exec += r.execution_ok();
      if (Timed(r)) speedups.push_back(r.speedup());
    }
    call_acc.push_back(tasks > 0 ? call / tasks : 0);
    exec_acc.push_back(tasks > 0 ? exec / tasks : 0);
    if (!speedups.empty()) run_geomeans.push_back(GeoMean(speedups));
    for (const auto& g : rec.generations()) generations[i][g.task_id()] = &g;
    any_generation |= rec.generations_size() > 0;
  }
  for (const auto& h : harness_hashes) row.add_harness_content_hashes(h);
  for (const auto& s : software) row.add_software(s);
  if (harness_hashes.size() > 1) {
    row.add_flags(absl::StrCat("runs of ", harness_hashes.size(), " harness versions are combined in this row"));
  }
  row.set_call_accuracy(Mean(call_acc));
  row.set_execution_accuracy(Mean(exec_acc));
  row.set_execution_accuracy_min(*std::min_element(exec_acc.begin(), exec_acc.end()));
  row.set_execution_accuracy_max(*std::max_element(exec_acc.begin(), exec_acc.end()));
  if (!run_geomeans.empty()) {
    row.set_speedup_geomean_run_min(*std::min_element(run_geomeans.begin(), run_geomeans.end()));
    row.set_speedup_geomean_run_max(*std::max_element(run_geomeans.begin(), run_geomeans.end()));
  }

  std::vector<double> first_correct;       // over (run, task) pairs that reached one
  std::map<int, int> histogram;            // iterations -> count; 0 = never
  std::vector<double> calls, tokens, costs;
  std::vector<std::vector<int>> calls_to_correct(runs.size());  // per run
  int max_calls = 0;
  for (const auto& task : suite_tasks) {
    TaskCell* cell = row.add_task_cells();
    cell->set_task_id(task);
    std::vector<double> task_iters, task_calls, task_tokens, task_costs;
    std::vector<const EvaluationResult*> task_results;
    for (size_t i = 0; i < runs.size(); ++i) {
      auto it = results[i].find(task);
      if (it != results[i].end()) task_results.push_back(it->second);
      if (generations[i].empty()) continue;
      auto g = generations[i].find(task);
      if (g == generations[i].end()) {
        ++histogram[0];
        continue;
      }
      const TaskGeneration& gen = *g->second;
      if (gen.has_iterations_to_first_correct()) {
        task_iters.push_back(gen.iterations_to_first_correct());
        first_correct.push_back(gen.iterations_to_first_correct());
        ++histogram[gen.iterations_to_first_correct()];
      } else {
        ++histogram[0];
      }
      if (gen.has_llm_calls_to_first_correct()) {
        calls_to_correct[i].push_back(gen.llm_calls_to_first_correct());
        max_calls = std::max(max_calls, gen.llm_calls_to_first_correct());
      }
      task_calls.push_back(gen.llm_calls());
      max_calls = std::max(max_calls, gen.llm_calls());
      task_tokens.push_back(static_cast<double>(gen.prompt_tokens() + gen.completion_tokens()));
      if (gen.has_cost_usd()) task_costs.push_back(gen.cost_usd());
    }
    FillTaskCell(task_results, static_cast<int>(runs.size()), cell);
    if (!task_iters.empty()) cell->set_iterations_to_first_correct(Median(task_iters));
    if (!task_calls.empty()) {
      cell->set_llm_calls(Mean(task_calls));
      cell->set_tokens(Mean(task_tokens));
      calls.insert(calls.end(), task_calls.begin(), task_calls.end());
      tokens.insert(tokens.end(), task_tokens.begin(), task_tokens.end());
    }
    if (!task_costs.empty()) {
      cell->set_cost_usd(Mean(task_costs));
      costs.insert(costs.end(), task_costs.begin(), task_costs.end());
    }
  }
  SetSpeedupSummary(options, &row);
  if (any_generation) {
    if (!first_correct.empty()) row.set_iterations_to_first_correct_median(Median(first_correct));
    for (const auto& [iterations, count] : histogram) {
      IterationBucket* b = row.add_iterations_histogram();
      b->set_iterations(iterations);
      b->set_count(count);
    }
    if (!calls.empty()) {
      row.set_llm_calls_per_task(Mean(calls));
      row.set_tokens_per_task(Mean(tokens));
    }
    if (!costs.empty()) row.set_cost_usd_per_task(Mean(costs));
    // Accuracy within k LLM calls, averaged over the runs that have generations.
    const int step = std::max(1, (max_calls + options.max_curve_points - 1) / options.max_curve_points);
    for (int k = 1; max_calls > 0 && k <= max_calls + step - 1; k += step) {
      const int budget = std::min(k, max_calls);
      std::vector<double> per_run;
      for (size_t i = 0; i < runs.size(); ++i) {
        if (generations[i].empty()) continue;
        const int within = std::count_if(calls_to_correct[i].begin(), calls_to_correct[i].end(),
                                         [&](int c) { return c <= budget; });
        per_run.push_back(tasks > 0 ? within / tasks : 0);
      }
      CurvePoint* p = row.add_calls_curve();
      p->set_llm_calls(budget);
      p->set_execution_accuracy(Mean(per_run));
    }
  }
  return row;
}

Leaderboard BuildLeaderboard(const LoadedRuns& loaded, const std::vector<Row>& reported,
                             const AggregateOptions& options, const std::vector<Row>& current) {
  Leaderboard board;
  board.set_records_loaded(static_cast<int>(loaded.runs.size()));
  board.set_bootstrap_samples(options.bootstrap_samples);
  board.set_bootstrap_seed(options.bootstrap_seed);
  for (double p : options.fast_p_thresholds) board.add_fast_p_thresholds(p);
  for (const auto& s : loaded.skipped) *board.add_skipped() = s;

  // Suite version -> its tasks; row key -> runs.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> suite_tasks;
  std::map<std::string, std::vector<const LoadedRun*>> groups;
  std::map<std::string, std::set<std::string>> suite_versions;
  for (const auto& run : loaded.runs) {
    const RunRecord& rec = run.record;
    auto& tasks = suite_tasks[{rec.suite(), rec.suite_content_hash()}];
    for (const auto& r : rec.results()) tasks.insert(r.task_id());
    for (const auto& g : rec.generations()) tasks.insert(g.task_id());
    Row probe;
    probe.set_suite(rec.suite());
    probe.set_suite_content_hash(rec.suite_content_hash());
    probe.set_configuration(rec.configuration());
    probe.set_model(rec.model().name());
    probe.set_hardware(HardwareName(rec));
    groups[RowKey(probe)].push_back(&run);
    suite_versions[rec.suite()].insert(rec.suite_content_hash());
  }
  std::vector<Row> rows(current.begin(), current.end());
  for (const auto& [key, runs] : groups) {
    const RunRecord& rec = runs.front()->record;
    const auto& tasks = suite_tasks[{rec.suite(), rec.suite_content_hash()}];
    Row row = AggregateRow(runs, std::vector<std::string>(tasks.begin(), tasks.end()), options);
    const auto& versions = suite_versions[rec.suite()];
    if (versions.size() > 1) {
      row.add_flags(absl::StrCat("suite version ", rec.suite_content_hash().substr(0, 12), " is one of ",
                                 versions.size(), " versions of ", rec.suite(),
                                 " in these records: compare only rows of the same version"));
    }
    rows.push_back(std::move(row));
  }
  for (Row row : reported) {
    row.set_kind("reported");
    row.set_key(RowKey(row));
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.suite() != b.suite()) return a.suite() < b.suite();
    if (a.kind() != b.kind()) return a.kind() == "measured";
    if (a.current_suite() != b.current_suite()) return a.current_suite();
    if (a.suite_content_hash() != b.suite_content_hash()) return a.suite_content_hash() < b.suite_content_hash();
    if (a.execution_accuracy() != b.execution_accuracy()) return a.execution_accuracy() > b.execution_accuracy();
    const double ga = a.has_speedup_geomean() ? a.speedup_geomean().value() : 0;
    const double gb = b.has_speedup_geomean() ? b.speedup_geomean().value() : 0;
    if (ga != gb) return ga > gb;
    return a.key() < b.key();
  });
  for (auto& row : rows) *board.add_rows() = std::move(row);
  return board;
}

}  // namespace tritonbench
