#include "leaderboard/markdown.h"

#include <cmath>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace tritonbench {
namespace {

std::string Cell(std::string text) {
  if (text.empty()) return "-";
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

std::string Num(double v, int digits) { return absl::StrFormat("%.*f", digits, v); }

std::string ShortHash(const std::string& hash) { return hash.empty() ? "-" : hash.substr(0, 12); }

std::string PTitle(double p) { return absl::StrFormat("fast_%g", p); }

std::string ExecAccuracy(const Row& row) {
  if (!row.execution_accuracy_text().empty()) return row.execution_accuracy_text();
  if (!row.has_execution_accuracy()) return "-";
  std::string text = FormatShare(row.execution_accuracy());
  if (row.runs() > 1 && row.has_execution_accuracy_min() &&
      row.execution_accuracy_min() != row.execution_accuracy_max()) {
    absl::StrAppend(&text, " (", FormatShare(row.execution_accuracy_min()), "–",
                    FormatShare(row.execution_accuracy_max()), ")");
  }
  return text;
}

std::string GeomeanWithSpread(const Row& row) {
  if (!row.has_speedup_geomean()) return "-";
  std::string text = FormatEstimate(row.speedup_geomean());
  if (row.runs() > 1 && row.has_speedup_geomean_run_min()) {
    absl::StrAppend(&text, " runs ", Num(row.speedup_geomean_run_min(), 3), "–",
                    Num(row.speedup_geomean_run_max(), 3));
  }
  return text;
}

std::string Histogram(const Row& row) {
  std::vector<std::string> parts;
  for (const auto& b : row.iterations_histogram()) {
    parts.push_back(absl::StrCat(b.iterations() == 0 ? std::string("never") : absl::StrCat(b.iterations()), ":",
                                 b.count()));
  }
  return absl::StrJoin(parts, " ");
}

std::string RowLabel(const Row& row) {
  return absl::StrCat(row.suite(), " · ", row.configuration(), row.model().empty() ? "" : " · ", row.model(), " · ",
                      row.hardware(), " · suite ", ShortHash(row.suite_content_hash()),
                      row.current_suite() ? " (current suite, combined)" : "");
}

}  // namespace

std::string FormatShare(double share) { return absl::StrFormat("%.1f%%", 100 * share); }
std::string SpeedupNumber(double speedup) {
  // Two significant digits below 0.1: an eager reference 1000x slower than the ground
  // truth reads 0.0011, not 0.00 (which looks like a speedup that was never measured).
  if (speedup != 0 && std::fabs(speedup) < 0.1) return absl::StrFormat("%.2g", speedup);
  return absl::StrFormat("%.2f", speedup);
}
std::string FormatSpeedup(double speedup) { return absl::StrCat(SpeedupNumber(speedup), "x"); }
std::string FormatEstimate(const Estimate& e) {
  if (e.n() <= 0) return FormatSpeedup(e.value());
  return absl::StrCat(FormatSpeedup(e.value()), " [", SpeedupNumber(e.ci_low()), ", ", SpeedupNumber(e.ci_high()),
                      "]");
}

std::string RenderMarkdown(const Leaderboard& board) {
  std::string md = "# Triton kernel leaderboard";
  if (board.version() > 0) {
    absl::StrAppend(&md, ": version ", absl::StrFormat("%04d", board.version()));
    if (!board.published_at().empty()) absl::StrAppend(&md, " (", board.published_at(), ")");
  }
  absl::StrAppend(&md, "\n\n", board.records_loaded(), " run records counted, ", board.skipped_size(),
                  " skipped", board.skipped_size() ? " (listed under \"Skipped records\")" : "",
                  ". Rows marked **reported** are published figures, not measurements of this project;"
                  " they are never aggregated with measured rows. Speedup intervals: percentile bootstrap, 95%, ",
                  board.bootstrap_samples(), " resamples, seed ", board.bootstrap_seed(), ".\n");

  std::map<std::string, std::vector<const Row*>> by_suite;
  std::vector<std::string> suite_order;
  for (const auto& row : board.rows()) {
    if (!by_suite.count(row.suite())) suite_order.push_back(row.suite());
    by_suite[row.suite()].push_back(&row);
  }
  for (const auto& suite : suite_order) {
    absl::StrAppend(&md, "\n## Suite `", suite, "`\n\n");
    std::vector<std::string> head = {"#", "kind", "configuration", "model", "hardware", "suite version", "runs",
                                     "tasks", "call acc.", "exec. acc.", "speedup mean [95% CI]",
                                     "speedup geomean [95% CI]"};
    for (double p : board.fast_p_thresholds()) head.push_back(PTitle(p));
    for (const char* h : {"iters to 1st correct (median)", "LLM calls/task", "tokens/task", "cost/task"}) {
      head.push_back(h);
    }
    absl::StrAppend(&md, "| ", absl::StrJoin(head, " | "), " |\n|");
    for (size_t i = 0; i < head.size(); ++i) absl::StrAppend(&md, "---|");
    absl::StrAppend(&md, "\n");
    std::vector<std::string> notes;
    int n = 0;
    for (const Row* row : by_suite[suite]) {
      ++n;
      const bool reported = row->kind() == "reported";
      std::vector<std::string> cells = {
          absl::StrCat(n), reported ? "**reported**" : row->current_suite() ? "measured, current suite" : "measured", Cell(row->configuration()), Cell(row->model()),
          Cell(row->hardware()), ShortHash(row->suite_content_hash()),
          reported ? "-" : absl::StrCat(row->runs()), row->tasks() ? absl::StrCat(row->tasks()) : "-",
          row->has_call_accuracy() ? FormatShare(row->call_accuracy()) : "-", Cell(ExecAccuracy(*row)),
          row->has_speedup_mean() ? FormatEstimate(row->speedup_mean()) : "-", GeomeanWithSpread(*row)};
      for (int k = 0; k < board.fast_p_thresholds_size(); ++k) {
        cells.push_back(k < row->fast_p_size() ? FormatShare(row->fast_p(k).share()) : "-");
      }
      cells.push_back(row->has_iterations_to_first_correct_median()
                          ? absl::StrCat(Num(row->iterations_to_first_correct_median(), 1), " (", Histogram(*row), ")")
                          : "-");
      cells.push_back(row->has_llm_calls_per_task() ? Num(row->llm_calls_per_task(), 1) : "-");
      cells.push_back(row->has_tokens_per_task() ? Num(row->tokens_per_task(), 0) : "-");
      cells.push_back(row->has_cost_usd_per_task() ? absl::StrCat("$", Num(row->cost_usd_per_task(), 4)) : "-");
      absl::StrAppend(&md, "| ", absl::StrJoin(cells, " | "), " |\n");
      for (const auto& flag : row->flags()) notes.push_back(absl::StrCat("row ", n, ": ⚠ ", flag));
      if (reported) {
        notes.push_back(absl::StrCat("row ", n, " (reported): ", row->source(),
                                     row->note().empty() ? "" : absl::StrCat(". ", row->note())));
      }
    }
    if (!notes.empty()) absl::StrAppend(&md, "\n- ", absl::StrJoin(notes, "\n- "), "\n");
  }

  absl::StrAppend(&md, "\n## Per-task results\n");
  for (const auto& row : board.rows()) {
    if (row.kind() != "measured") continue;
    absl::StrAppend(&md, "\n### ", RowLabel(row), "\n\n");
    absl::StrAppend(&md,
                    "| task | correct runs | speedup (median) | speedup min–max | failures | iters to 1st correct |"
                    " LLM calls | tokens | cost |\n|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& c : row.task_cells()) {
      absl::StrAppend(
          // A current-suite row's tasks were measured different numbers of times.
          &md, "| ", c.task_id(), " | ", c.execution_ok_runs(), "/", row.current_suite() ? c.runs() : row.runs(),
          c.correct() ? "" : " ✗", " | ",
          c.has_speedup() ? FormatSpeedup(c.speedup()) : "-", " | ",
          c.has_speedup_min() ? absl::StrCat(Num(c.speedup_min(), 3), "–", Num(c.speedup_max(), 3)) : "-", " | ",
          Cell(c.failures()), " | ", c.has_iterations_to_first_correct() ? Num(c.iterations_to_first_correct(), 1) : "-",
          " | ", c.has_llm_calls() ? Num(c.llm_calls(), 1) : "-", " | ", c.has_tokens() ? Num(c.tokens(), 0) : "-",
          " | ", c.has_cost_usd() ? absl::StrCat("$", Num(c.cost_usd(), 4)) : "-", " |\n");
    }
    absl::StrAppend(&md, "\nReproduce: `", Cell(row.command_line()), "` (harness ",
                    absl::StrJoin(row.harness_content_hashes(), ", ",
                                  [](std::string* out, const std::string& h) { out->append(h.substr(0, 12)); }),
                    "; ", absl::StrJoin(row.software(), "; "), "); runs: ", absl::StrJoin(row.run_dirs(), ", "), "\n");
  }

  if (board.skipped_size() > 0) {
    absl::StrAppend(&md, "\n## Skipped records\n\n| path | reason |\n|---|---|\n");
    for (const auto& s : board.skipped()) absl::StrAppend(&md, "| ", Cell(s.path()), " | ", Cell(s.reason()), " |\n");
  }

  absl::StrAppend(
      &md,
      "\n## Definitions\n\n"
      "- A row is one (suite, suite version, configuration, model, hardware). The suite version is the suite's "
      "content hash; rows of different versions are never merged. The tasks of a version are every task any of "
      "its runs evaluated; a task a run did not evaluate counts as failed.\n"
      "- A **current-suite** row (first in each suite; \"current suite\" in its note) takes every task of the "
      "suite as it stands in the tree and, from any run record of that configuration and hardware, the results "
      "that measured the task's present content (same task content hash); a task never measured counts as "
      "failed. Its correct runs are per task, its speedup min–max the run-to-run spread.\n"
      "- call acc. / exec. acc.: share of all tasks that ran without error / passed every check, per run; the "
      "mean over runs (min–max in parentheses when there are several).\n"
      "- A task is correct when it passed in more than half of the runs; its speedup (ground-truth median / "
      "candidate median) is the median over the runs where it passed and was timed.\n"
      "- speedup mean: the GEAK paper's average over correct tasks; speedup geomean: their geometric mean "
      "(\"runs\": min–max of each run's geometric mean).\n"
      "- fast_p (KernelBench): share of all tasks that are correct and have speedup > p; \"-\" when nothing was "
      "timed.\n"
      "- iters to 1st correct: median over (run, task) pairs that reached a correct kernel; the distribution "
      "follows as iterations:count (never = no correct kernel). LLM calls, tokens and cost: mean per task.\n");
  return md;
}

}  // namespace tritonbench
