#include "leaderboard/aggregate.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/files.h"
#include "common/verdict_text.h"
#include "harness/proto/evaluation.pb.h"
#include "leaderboard/stats.h"

namespace tritonbench {
namespace {

constexpr size_t kVerdictChars = 400;

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

// FailureName and the message's first line, at most kVerdictChars characters.
std::string Verdict(const EvaluationResult& r) {
  std::string message = r.message().substr(0, r.message().find('\n'));
  if (message.size() > kVerdictChars) message = message.substr(0, kVerdictChars) + "...";
  return message.empty() ? FailureName(r) : absl::StrCat(FailureName(r), ": ", message);
}

// The candidate file of an LLM run's result inside its run folder
// (<run>/candidates/<task>/<file>, as tools/run_config writes it), if it is there.
std::string CandidateFile(const LoadedRun& run, const EvaluationResult& r) {
  const std::string marker = absl::StrCat("candidates/", r.task_id(), "/");
  const size_t at = r.candidate_path().rfind(marker);
  if (at == std::string::npos) return "";
  const std::string path = absl::StrCat(run.dir, "/", r.candidate_path().substr(at));
  return IsRegularFile(path) ? path : "";
}

struct TaskResults {
  std::vector<const EvaluationResult*> results;
  std::vector<const LoadedRun*> runs;  // the run of each result
};

// Fills `cell` from one task's counted results; `expected` results were due (a missing
// one counts as failed, "MISSING").
void FillTaskCell(const TaskResults& in, int expected, TaskCell* cell) {
  std::vector<double> speedups, geak;
  std::map<std::string, int> failures;
  int call = 0, exec = 0;
  const EvaluationResult* timed = nullptr;
  for (const EvaluationResult* r : in.results) {
    call += r->call_ok();
    exec += r->execution_ok();
    if (!r->execution_ok()) {
      ++failures[FailureName(*r)];
      if (cell->verdict().empty()) cell->set_verdict(Verdict(*r));
    }
    if (!Timed(*r)) continue;
    timed = r;
    speedups.push_back(r->speedup());
    if (auto g = GeakSpeedup(*r)) geak.push_back(*g);
  }
  const int results = static_cast<int>(in.results.size());
  if (expected > results) failures["MISSING"] = expected - results;
  cell->set_runs(results);
  cell->set_call_ok_runs(call);
  cell->set_execution_ok_runs(exec);
  cell->set_correct(2 * exec > expected);
  cell->set_timed_runs(static_cast<int>(speedups.size()));
  if (!speedups.empty()) {
    cell->set_speedup(Median(speedups));
    cell->set_speedup_min(*std::min_element(speedups.begin(), speedups.end()));
    cell->set_speedup_max(*std::max_element(speedups.begin(), speedups.end()));
  }
  if (!geak.empty() && geak.size() == speedups.size()) cell->set_speedup_geak(Median(geak));
  if (speedups.size() == 1 && timed->speedup_ci_high() > 0) {
    cell->set_speedup_ci_low(timed->speedup_ci_low());
    cell->set_speedup_ci_high(timed->speedup_ci_high());
  }
  std::vector<std::string> failure_text;
  for (const auto& [kind, n] : failures) failure_text.push_back(absl::StrCat(kind, " x", n));
  cell->set_failures(absl::StrJoin(failure_text, ", "));
}

// Speedup estimates, fast_p and the run-to-run spread from `row`'s task cells.
void SetSpeedupSummary(const AggregateOptions& options, Row* row) {
  std::vector<double> correct_speedups, correct_geak;
  double spread_max = -1;
  bool any_timed = false;
  for (const auto& c : row->task_cells()) {
    if (!c.has_speedup()) continue;
    any_timed = true;
    if (c.timed_runs() > 1) spread_max = std::max(spread_max, (c.speedup_max() - c.speedup_min()) / c.speedup());
    if (!c.correct()) continue;
    correct_speedups.push_back(c.speedup());
    if (c.has_speedup_geak()) correct_geak.push_back(c.speedup_geak());
  }
  if (spread_max >= 0) row->set_task_speedup_spread_max(spread_max);
  if (!correct_speedups.empty()) *row->mutable_speedup_geomean() = MakeEstimate(correct_speedups, GeoMean, options);
  if (!correct_geak.empty()) *row->mutable_speedup_geak() = MakeEstimate(correct_geak, Mean, options);
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

void SetCategories(Row* row) {
  struct Acc {
    int tasks = 0, measured = 0, correct = 0;
    std::vector<double> speedups, geak;
  };
  std::map<std::string, Acc> by_category;
  for (const auto& c : row->task_cells()) {
    Acc& a = by_category[c.category()];
    ++a.tasks;
    a.measured += c.runs() > 0;
    a.correct += c.correct();
    if (c.correct() && c.has_speedup()) a.speedups.push_back(c.speedup());
    if (c.correct() && c.has_speedup_geak()) a.geak.push_back(c.speedup_geak());
  }
  for (const auto& [name, a] : by_category) {
    CategoryCell* cat = row->add_categories();
    cat->set_category(name);
    cat->set_tasks(a.tasks);
    cat->set_measured(a.measured);
    cat->set_correct(a.correct);
    if (!a.speedups.empty()) cat->set_speedup_geomean(GeoMean(a.speedups));
    if (!a.geak.empty()) cat->set_speedup_geak(Mean(a.geak));
  }
}

std::vector<ReleaseTaskInfo> ReleaseTasks(const ReleaseMeasurements& m) {
  std::vector<ReleaseTaskInfo> tasks;
  for (const auto& t : m.release->tasks()) {
    ReleaseTaskInfo info;
    info.set_id(t.id());
    info.set_content_hash(t.content_hash());
    auto category = m.suite->categories.find(t.id());
    info.set_category(category == m.suite->categories.end() ? "(not in the tree)" : category->second);
    auto dir = m.suite->task_dirs.find(t.id());
    if (dir != m.suite->task_dirs.end()) info.set_kernel_path(dir->second + "/kernel.py");
    auto hash = m.suite->tree_hashes.find(t.id());
    info.set_in_tree(hash != m.suite->tree_hashes.end() && hash->second == t.content_hash());
    tasks.push_back(std::move(info));
  }
  return tasks;
}

// The code a row's result for `task` measured (TaskCell.files).
void SetFiles(const ReleaseMeasurements& m, const ReleaseTaskInfo& task, const TaskResults& in, TaskCell* cell) {
  const std::string& configuration = in.runs.empty() ? "" : in.runs.front()->record.configuration();
  auto dir = m.suite->task_dirs.find(task.id());
  if (configuration == "ground_truth") {
    if (!task.kernel_path().empty()) cell->add_files(task.kernel_path());
  } else if (IsReferenceConfiguration(configuration)) {
    if (dir != m.suite->task_dirs.end()) cell->add_files(dir->second + "/reference.py");
  } else {
    for (size_t i = 0; i < in.results.size(); ++i) {
      std::string file = CandidateFile(*in.runs[i], *in.results[i]);
      if (!file.empty()) cell->add_files(file);
    }
  }
}

Row BaseRow(const ReleaseMeasurements& m, const std::vector<const ReleaseRun*>& runs) {
  const RunRecord& first = runs.front()->run->record;
  Row row;
  row.set_kind("measured");
  row.set_suite(m.suite->name);
  row.set_release(m.release->name());
  row.set_suite_content_hash(first.suite_content_hash());
  row.set_configuration(first.configuration());
  row.set_model(first.model().name());
  row.set_hardware(HardwareName(first));
  row.set_group(IsReferenceConfiguration(first.configuration()) ? "reference" : "model");
  row.set_key(RowKey(row));
  row.set_tasks(m.release->tasks_size());
  std::set<std::string> harness_hashes, software;
  for (const ReleaseRun* r : runs) {
    row.add_run_dirs(r->run->dir);
    harness_hashes.insert(r->run->record.harness_content_hash());
    software.insert(SoftwareLine(r->run->record.environment()));
    if (r->run->record.model().provider() == "fixture") row.set_fixture(true);
  }
  for (const auto& h : harness_hashes) row.add_harness_content_hashes(h);
  for (const auto& s : software) row.add_software(s);
  row.set_command_line(runs.size() == 1 ? first.command_line()
                                        : "combined from the run records listed (each one's command line is in "
                                          "its run_record.json)");
  if (harness_hashes.size() > 1) {
    row.add_flags(absl::StrCat("runs of ", harness_hashes.size(), " harness versions are combined in this row"));
  }
  if (row.fixture()) row.add_flags("test fixture: made-up records for the tests, not a model's result");
  if (row.group() == "model") {
    int shown = 0;
    for (const auto& t : m.release->tasks()) shown += m.suite->reference_in_prompt.count(t.id()) > 0;
    if (shown > 0) {
      row.add_flags(absl::StrCat(
          "ground truth in the prompt: ", shown, " of the release's ", m.release->tasks_size(),
          " task(s) show the model their ground-truth kernel and ask for a faster one (TaskSpec.reference_in_prompt, "
          "as the ROCm suite poses its tasks), so its accuracy measures improving a given kernel, not writing one"));
    }
  }
  return row;
}

// Per-run accuracy, LLM figures and curves of a row of LLM configuration runs.
void SetRunFigures(const std::vector<const ReleaseRun*>& runs, const std::vector<ReleaseTaskInfo>& tasks,
                   const AggregateOptions& options, Row* row) {
  const double total = tasks.size(), measured = row->tasks_measured();
  std::vector<double> call_release, exec_release, call_measured, exec_measured, run_geomeans;
  // Per run: task -> counted result; task -> its generation (for counted results only).
  std::vector<std::map<std::string, const TaskGeneration*>> generations(runs.size());
  bool any_generation = false;
  for (size_t i = 0; i < runs.size(); ++i) {
    int call = 0, exec = 0;
    std::vector<double> speedups;
    std::set<std::string> counted;
    for (const EvaluationResult* r : runs[i]->results) {
      call += r->call_ok();
      exec += r->execution_ok();
      if (Timed(*r)) speedups.push_back(r->speedup());
      counted.insert(r->task_id());
    }
    call_release.push_back(call / total);
    exec_release.push_back(exec / total);
    call_measured.push_back(call / measured);
    exec_measured.push_back(exec / measured);
    if (!speedups.empty()) run_geomeans.push_back(GeoMean(speedups));
    for (const auto& g : runs[i]->run->record.generations()) {
      if (counted.count(g.task_id())) generations[i][g.task_id()] = &g;
    }
    any_generation |= runs[i]->run->record.generations_size() > 0;
  }
  row->set_call_accuracy(Mean(call_release));
  row->set_execution_accuracy(Mean(exec_release));
  row->set_call_accuracy_measured(Mean(call_measured));
  row->set_execution_accuracy_measured(Mean(exec_measured));
  row->set_execution_accuracy_min(*std::min_element(exec_measured.begin(), exec_measured.end()));
  row->set_execution_accuracy_max(*std::max_element(exec_measured.begin(), exec_measured.end()));
  if (!run_geomeans.empty()) {
    row->set_speedup_geomean_run_min(*std::min_element(run_geomeans.begin(), run_geomeans.end()));
    row->set_speedup_geomean_run_max(*std::max_element(run_geomeans.begin(), run_geomeans.end()));
  }
  const int n = static_cast<int>(runs.size());
  for (int k = 1; k <= n; ++k) {
    double sum = 0;
    for (const auto& c : row->task_cells()) sum += PassAtKEstimate(n, c.execution_ok_runs(), k);
    PassAtK* p = row->add_pass_at_k();
    p->set_k(k);
    p->set_value(sum / total);
  }
  if (!any_generation) return;

  std::vector<double> first_correct, calls, tokens, costs;
  std::map<int, int> histogram;  // iterations -> (run, task) pairs; 0 = never
  int max_iterations = 0, max_calls = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i]->run->record.generations_size() == 0) continue;
    for (const ReleaseTaskInfo& task : tasks) {
      auto g = generations[i].find(task.id());
      if (g == generations[i].end()) {
        ++histogram[0];
        continue;
      }
      const TaskGeneration& gen = *g->second;
      ++histogram[gen.has_iterations_to_first_correct() ? gen.iterations_to_first_correct() : 0];
      if (gen.has_iterations_to_first_correct()) first_correct.push_back(gen.iterations_to_first_correct());
      max_iterations = std::max({max_iterations, gen.iterations(), gen.iterations_to_first_correct()});
      max_calls = std::max({max_calls, gen.llm_calls(), gen.llm_calls_to_first_correct()});
      calls.push_back(gen.llm_calls());
      tokens.push_back(static_cast<double>(gen.prompt_tokens() + gen.completion_tokens()));
      if (gen.has_cost_usd()) costs.push_back(gen.cost_usd());
    }
  }
  // Per task: medians and means over the runs that have a generation for it.
  for (size_t t = 0; t < tasks.size(); ++t) {
    std::vector<double> iters, task_calls, task_tokens, task_costs;
    for (size_t i = 0; i < runs.size(); ++i) {
      auto g = generations[i].find(tasks[t].id());
      if (g == generations[i].end()) continue;
      if (g->second->has_iterations_to_first_correct()) iters.push_back(g->second->iterations_to_first_correct());
      task_calls.push_back(g->second->llm_calls());
      task_tokens.push_back(static_cast<double>(g->second->prompt_tokens() + g->second->completion_tokens()));
      if (g->second->has_cost_usd()) task_costs.push_back(g->second->cost_usd());
    }
    TaskCell* cell = row->mutable_task_cells(static_cast<int>(t));
    if (!iters.empty()) cell->set_iterations_to_first_correct(Median(iters));
    if (!task_calls.empty()) {
      cell->set_llm_calls(Mean(task_calls));
      cell->set_tokens(Mean(task_tokens));
    }
    if (!task_costs.empty()) cell->set_cost_usd(Mean(task_costs));
  }
  if (!first_correct.empty()) row->set_iterations_to_first_correct_median(Median(first_correct));
  for (const auto& [iterations, count] : histogram) {
    IterationBucket* b = row->add_iterations_histogram();
    b->set_iterations(iterations);
    b->set_count(count);
  }
  if (!calls.empty()) {
    row->set_llm_calls_per_task(Mean(calls));
    row->set_tokens_per_task(Mean(tokens));
  }
  if (!costs.empty()) row->set_cost_usd_per_task(Mean(costs));

  // Share of the release's tasks first correct within a budget, averaged over the runs
  // that have generations; `first` reads a generation's first-correct count, if any.
  auto curve = [&](int max_budget, auto first, auto add_point) {
    const int step = std::max(1, (max_budget + options.max_curve_points - 1) / options.max_curve_points);
    for (int k = 1; max_budget > 0 && k <= max_budget + step - 1; k += step) {
      const int budget = std::min(k, max_budget);
      std::vector<double> per_run;
      for (size_t i = 0; i < runs.size(); ++i) {
        if (runs[i]->run->record.generations_size() == 0) continue;
        int within = 0;
        for (const auto& [task, g] : generations[i]) {
          std::optional<int> at = first(*g);
          within += at.has_value() && *at <= budget;
        }
        per_run.push_back(within / total);
      }
      add_point(budget, Mean(per_run));
    }
  };
  curve(
      max_iterations,
      [](const TaskGeneration& g) {
        return g.has_iterations_to_first_correct() ? std::optional<int>(g.iterations_to_first_correct())
                                                   : std::nullopt;
      },
      [&](int budget, double share) {
        IterationPoint* p = row->add_iterations_curve();
        p->set_iterations(budget);
        p->set_execution_accuracy(share);
      });
  curve(
      max_calls,
      [](const TaskGeneration& g) {
        return g.has_llm_calls_to_first_correct() ? std::optional<int>(g.llm_calls_to_first_correct())
                                                  : std::nullopt;
      },
      [&](int budget, double share) {
        CurvePoint* p = row->add_calls_curve();
        p->set_llm_calls(budget);
        p->set_execution_accuracy(share);
      });
}

Row MakeRow(const ReleaseMeasurements& m, const std::vector<ReleaseTaskInfo>& tasks,
            const std::vector<const ReleaseRun*>& runs, const AggregateOptions& options) {
  Row row = BaseRow(m, runs);
  bool llm = false;
  for (const ReleaseRun* r : runs) llm |= r->run->record.generations_size() > 0;
  std::map<std::string, TaskResults> by_task;
  for (const ReleaseRun* r : runs) {
    for (const EvaluationResult* result : r->results) {
      TaskResults& t = by_task[result->task_id()];
      t.results.push_back(result);
      t.runs.push_back(r->run);
    }
  }
  row.set_runs(static_cast<int>(runs.size()));
  int measured = 0, call = 0, correct = 0;
  std::map<int, int> times;  // results per measured task -> tasks
  for (const ReleaseTaskInfo& task : tasks) {
    static const TaskResults kNone;
    auto it = by_task.find(task.id());
    const TaskResults& in = it == by_task.end() ? kNone : it->second;
    TaskCell* cell = row.add_task_cells();
    cell->set_task_id(task.id());
    cell->set_category(task.category());
    const int results = static_cast<int>(in.results.size());
    // LLM rows: one result due per run. Others: the results there are (one if none).
    FillTaskCell(in, llm ? row.runs() : std::max(1, results), cell);
    SetFiles(m, task, in, cell);
    if (results == 0) continue;
    ++measured;
    ++times[results];
    call += 2 * cell->call_ok_runs() > results;
    correct += cell->correct();
  }
  row.set_tasks_measured(measured);
  const double total = tasks.size();
  if (llm) {
    SetRunFigures(runs, tasks, options, &row);
  } else {
    row.set_call_accuracy(call / total);
    row.set_execution_accuracy(correct / total);
    row.set_call_accuracy_measured(static_cast<double>(call) / measured);
    row.set_execution_accuracy_measured(static_cast<double>(correct) / measured);
    row.set_execution_accuracy_min(row.execution_accuracy_measured());
    row.set_execution_accuracy_max(row.execution_accuracy_measured());
    if (runs.size() > 1) {
      std::vector<std::string> text;
      for (const auto& [n, count] : times) text.push_back(absl::StrCat(count, " tasks ", n, "x"));
      row.add_flags(absl::StrCat("combined from ", runs.size(), " run records; results per measured task: ",
                                 absl::StrJoin(text, ", ")));
    }
  }
  if (measured < row.tasks()) {
    row.add_flags(absl::StrCat("partial: measured ", measured, " of the ", row.tasks(), " tasks of release ",
                               row.release(), "; accuracy over the release counts the other ",
                               row.tasks() - measured, " as failed"));
  }
  SetSpeedupSummary(options, &row);
  SetCategories(&row);
  return row;
}

int GroupOrder(const Row& row) { return row.group() == "model" ? 0 : row.group() == "reference" ? 1 : 2; }

}  // namespace

bool IsReferenceConfiguration(const std::string& configuration) {
  static const std::set<std::string> kReference = {"ground_truth", "torch_eager", "torch_compile",
                                                   "torch_compile_max_autotune"};
  return kReference.count(configuration) > 0;
}

std::optional<double> GeakSpeedup(const EvaluationResult& result) {
  if (!Timed(result) || result.performance_size() == 0) return std::nullopt;
  double ground_truth = 0, candidate = 0;
  for (const auto& p : result.performance()) {
    if (p.ground_truth().median_ms() <= 0 || p.candidate().median_ms() <= 0) return std::nullopt;
    ground_truth += p.ground_truth().median_ms();
    candidate += p.candidate().median_ms();
  }
  return ground_truth / candidate;
}

double PassAtKEstimate(int n, int c, int k) {
  if (n - c < k) return 1.0;
  // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i).
  double fail = 1.0;
  for (int i = n - c + 1; i <= n; ++i) fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - fail;
}

std::string HardwareName(const RunRecord& record) {
  if (!record.environment().device_name().empty()) return record.environment().device_name();
  if (!record.environment().backend().empty()) return record.environment().backend();
  return "unknown";
}

std::string RowKey(const Row& row) {
  if (row.kind() == "reported") {
    return absl::StrJoin({std::string("reported"), row.suite(), row.configuration(), row.model(), row.hardware()}, "|");
  }
  std::string key = absl::StrJoin({row.suite(), row.release(), row.configuration(), row.model(), row.hardware()}, "|");
  if (!row.judge().empty()) absl::StrAppend(&key, "|judge=", row.judge());
  return key;
}

EvaluationResult UpstreamView(const EvaluationResult& result) {
  EvaluationResult view = result;
  const UpstreamVerdict& u = result.upstream();  // all false when absent: the run did not finish
  view.set_call_ok(u.call_ok());
  view.set_execution_ok(u.execution_ok());
  if (u.execution_ok()) {
    view.set_failure_kind(NONE);
    view.clear_check();
    view.clear_message();
    return view;
  }
  // A failed call keeps the strict failure of the same stage (SYNTAX_ERROR, TIMEOUT, ...).
  if (u.call_ok()) {
    view.set_failure_kind(WRONG_VALUES);
  } else if (result.call_ok() || result.failure_kind() == NONE) {
    view.set_failure_kind(RUNTIME_ERROR);
  }
  view.clear_check();
  if (!u.message().empty()) view.set_message(u.message());
  return view;
}

std::string SoftwareLine(const Environment& env) {
  return absl::StrCat(env.backend(), " ", env.runtime_version(), ", driver ", env.driver_version(), ", torch ",
                      env.torch_version(), ", triton ", env.triton_version(), ", python ", env.python_version());
}

std::vector<Row> ReleaseRows(const ReleaseMeasurements& m, const AggregateOptions& options) {
  const std::vector<ReleaseTaskInfo> tasks = ReleaseTasks(m);
  std::map<std::string, std::vector<const ReleaseRun*>> groups;
  for (const ReleaseRun& r : m.runs) {
    const RunRecord& rec = r.run->record;
    groups[absl::StrJoin({rec.configuration(), rec.model().name(), HardwareName(rec)}, "|")].push_back(&r);
  }
  std::vector<Row> rows;
  for (const auto& [key, runs] : groups) {
    rows.push_back(MakeRow(m, tasks, runs, options));
    if (!m.suite->upstream) continue;
    // An imported suite: the same runs once more, counted by GEAK-eval's verdicts.
    rows.back().set_judge("strict");
    rows.back().set_key(RowKey(rows.back()));
    std::vector<LoadedRun> views;
    views.reserve(runs.size());
    for (const ReleaseRun* r : runs) {
      LoadedRun view = *r->run;
      view.record.clear_results();
      for (const EvaluationResult* result : r->results) *view.record.add_results() = UpstreamView(*result);
      views.push_back(std::move(view));
    }
    std::vector<ReleaseRun> view_runs;
    for (const LoadedRun& view : views) {
      ReleaseRun rr;
      rr.run = &view;
      for (const auto& result : view.record.results()) rr.results.push_back(&result);
      view_runs.push_back(std::move(rr));
    }
    std::vector<const ReleaseRun*> view_pointers;
    for (const ReleaseRun& rr : view_runs) view_pointers.push_back(&rr);
    Row upstream = MakeRow(m, tasks, view_pointers, options);
    upstream.set_judge("upstream");
    upstream.set_key(RowKey(upstream));
    upstream.add_flags("counted by GEAK-eval's own rules (EvaluationResult.upstream) on the same runs as the strict "
                       "row; timings are the same measurements");
    rows.push_back(std::move(upstream));
  }
  return rows;
}

Leaderboard BuildLeaderboard(const LoadedRuns& loaded, const std::vector<SuiteCatalog>& catalogs,
                             const std::vector<Row>& reported, const AggregateOptions& options) {
  Leaderboard board;
  const Placement placement = PlaceResults(loaded, catalogs);
  board.set_records_loaded(static_cast<int>(loaded.runs.size() - placement.refused.size()));
  board.set_bootstrap_samples(options.bootstrap_samples);
  board.set_bootstrap_seed(options.bootstrap_seed);
  for (double p : options.fast_p_thresholds) board.add_fast_p_thresholds(p);
  std::vector<SkippedRecord> skipped = loaded.skipped;
  skipped.insert(skipped.end(), placement.refused.begin(), placement.refused.end());
  std::sort(skipped.begin(), skipped.end(),
            [](const SkippedRecord& a, const SkippedRecord& b) { return a.path() < b.path(); });
  for (auto& s : skipped) *board.add_skipped() = std::move(s);
  for (const auto& u : placement.unreleased) *board.add_unreleased() = u;
  std::set<const LoadedRun*> in_releases;
  for (const ReleaseMeasurements& m : placement.releases) {
    for (const ReleaseRun& r : m.runs) in_releases.insert(r.run);
  }
  board.set_records_in_releases(static_cast<int>(in_releases.size()));
  for (const auto& suite : catalogs) {
    if (suite.releases.releases_size() > 0) continue;
    SkippedRecord* s = board.add_suites_without_releases();
    s->set_path(suite.dir);
    s->set_reason(suite.no_releases);
  }

  std::vector<Row> rows;
  std::map<std::pair<std::string, std::string>, int> release_order;  // (suite, release) -> position
  for (const ReleaseMeasurements& m : placement.releases) {
    ReleaseInfo* info = board.add_releases();
    info->set_suite(m.suite->name);
    info->set_name(m.release->name());
    info->set_date(m.release->date());
    info->set_summary(m.release->summary());
    info->set_manifest_hash(m.release->manifest_hash());
    info->set_latest(m.release == &m.suite->releases.releases(m.suite->releases.releases_size() - 1));
    for (auto& t : ReleaseTasks(m)) *info->add_tasks() = std::move(t);
    release_order[{m.suite->name, m.release->name()}] = static_cast<int>(release_order.size());
    for (Row& row : ReleaseRows(m, options)) rows.push_back(std::move(row));
  }
  for (Row row : reported) {
    row.set_kind("reported");
    row.set_group("reported");
    row.set_key(RowKey(row));
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.suite() != b.suite()) return a.suite() < b.suite();
    if (a.kind() != b.kind()) return a.kind() == "measured";
    if (a.release() != b.release()) {
      return release_order[{a.suite(), a.release()}] < release_order[{b.suite(), b.release()}];
    }
    if (GroupOrder(a) != GroupOrder(b)) return GroupOrder(a) < GroupOrder(b);
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
