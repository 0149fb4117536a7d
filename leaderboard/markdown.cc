#include "leaderboard/markdown.h"

#include <cmath>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace tritonbench {
namespace {

std::string Cell(std::string text) {
  if (text.empty()) return "-";
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

std::string Num(double v, int digits) { return absl::StrFormat("%.*f", digits, v); }

std::string Share(bool has, double v) { return has ? FormatShare(v) : "-"; }

std::string TableHead(const std::vector<std::string>& head) {
  std::string md = absl::StrCat("| ", absl::StrJoin(head, " | "), " |\n|");
  for (size_t i = 0; i < head.size(); ++i) absl::StrAppend(&md, "---|");
  return md + "\n";
}

bool IsPartial(const Row& row) { return row.kind() == "measured" && row.tasks_measured() < row.tasks(); }

std::string Measured(const Row& row) {
  if (row.kind() == "reported") return row.tasks() > 0 ? absl::StrCat(row.tasks(), " (the paper's suite)") : "-";
  return absl::StrCat(row.tasks_measured(), "/", row.tasks(), IsPartial(row) ? " ⚠ partial" : "");
}

std::string ExecMeasured(const Row& row) {
  if (!row.has_execution_accuracy_measured()) return "-";
  std::string text = FormatShare(row.execution_accuracy_measured());
  if (row.runs() > 1 && row.execution_accuracy_min() != row.execution_accuracy_max()) {
    absl::StrAppend(&text, " (runs ", FormatShare(row.execution_accuracy_min()), "–",
                    FormatShare(row.execution_accuracy_max()), ")");
  }
  return text;
}

std::string ExecRelease(const Row& row) {
  if (!row.execution_accuracy_text().empty()) return row.execution_accuracy_text();
  return Share(row.has_execution_accuracy(), row.execution_accuracy());
}

std::string PassAtK(const Row& row) {
  if (row.pass_at_k_size() == 0) return "-";
  const auto& last = row.pass_at_k(row.pass_at_k_size() - 1);
  return absl::StrCat(FormatShare(last.value()), " (k=", last.k(), ")");
}

std::string Geomean(const Row& row) {
  if (!row.has_speedup_geomean()) return "-";
  std::string text = FormatEstimate(row.speedup_geomean());
  if (row.runs() > 1 && row.has_speedup_geomean_run_min()) {
    absl::StrAppend(&text, " runs ", Num(row.speedup_geomean_run_min(), 3), "–", Num(row.speedup_geomean_run_max(), 3));
  }
  return text;
}

std::string FastOne(const Row& row) {
  for (const auto& f : row.fast_p()) {
    if (f.p() == 1.0) return FormatShare(f.share());
  }
  return "-";
}

std::string Histogram(const Row& row) {
  std::vector<std::string> parts;
  for (const auto& b : row.iterations_histogram()) {
    parts.push_back(absl::StrCat(b.iterations() == 0 ? std::string("never") : absl::StrCat(b.iterations()), ":",
                                 b.count()));
  }
  return absl::StrJoin(parts, " ");
}

std::string ShortLabel(const Row& row) {
  return absl::StrCat(row.configuration(), row.model().empty() ? "" : " · ", row.model(), " · ", row.hardware(),
                      row.judge().empty() ? "" : absl::StrCat(" · judge: ", row.judge()),
                      row.fixture() ? " (fixture)" : "");
}

const std::vector<std::string>& RankingHead() {
  static const std::vector<std::string> head = {
      "#", "configuration", "model", "hardware", "runs", "measured", "call acc. (measured)",
      "exec. acc. (measured)", "exec. acc. over release (unmeasured = failed)", "pass@k",
      "speedup, GEAK (mean of Σgt/Σcand) [95% CI]", "speedup geomean [95% CI]", "fast_1",
      "iters to 1st correct (median)", "LLM calls/task", "tokens/task", "cost/task"};
  return head;
}

std::string RankingLine(int rank, const Row& row) {
  const bool reported = row.kind() == "reported";
  std::string configuration = Cell(row.configuration());
  if (reported) absl::StrAppend(&configuration, " **reported**");
  if (row.fixture()) absl::StrAppend(&configuration, " (fixture)");
  if (!row.judge().empty()) {
    absl::StrAppend(&configuration, row.judge() == "upstream" ? " · *GEAK-eval's rules*" : " · *strict*");
  }
  std::vector<std::string> cells = {
      absl::StrCat(rank), configuration, Cell(row.model()), Cell(row.hardware()),
      reported ? "-" : absl::StrCat(row.runs()), Measured(row),
      Share(row.has_call_accuracy_measured(), row.call_accuracy_measured()), ExecMeasured(row), Cell(ExecRelease(row)),
      PassAtK(row), row.has_speedup_geak() ? FormatEstimate(row.speedup_geak()) : "-", Geomean(row), FastOne(row),
      row.has_iterations_to_first_correct_median()
          ? absl::StrCat(Num(row.iterations_to_first_correct_median(), 1), " (", Histogram(row), ")")
          : "-",
      row.has_llm_calls_per_task() ? Num(row.llm_calls_per_task(), 1) : "-",
      row.has_tokens_per_task() ? Num(row.tokens_per_task(), 0) : "-",
      row.has_cost_usd_per_task() ? absl::StrCat("$", Num(row.cost_usd_per_task(), 4)) : "-"};
  return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |\n");
}

// Per task: "✓ 1.02x", "✗ WRONG_VALUES x1", "·" (not measured); LLM rows lead with
// the correct runs, "2/3".
std::string TaskMark(const Row& row, const TaskCell& c) {
  if (c.runs() == 0) return "·";
  std::string mark = c.correct() ? "✓" : "✗";
  if (!row.pass_at_k().empty()) mark = absl::StrCat(c.execution_ok_runs(), "/", row.runs(), " ", mark);
  if (c.has_speedup()) absl::StrAppend(&mark, " ", FormatSpeedup(c.speedup()));
  if (!c.correct() && !c.failures().empty()) absl::StrAppend(&mark, " ", c.failures());
  return Cell(mark);
}

std::string CategoryMark(const CategoryCell& c) {
  if (c.measured() == 0) return "·";
  std::string mark = absl::StrCat(c.correct(), "/", c.measured());
  if (c.has_speedup_geomean()) absl::StrAppend(&mark, " · ", FormatSpeedup(c.speedup_geomean()));
  return mark;
}

void AppendRelease(const ReleaseInfo& release, const std::vector<const Row*>& measured,
                   const std::vector<const Row*>& reported, std::string* md) {
  absl::StrAppend(md, "\n## ", release.suite(), " ", release.name(), release.latest() ? " (latest release)" : "",
                  "\n\n", release.tasks_size(), " tasks, released ", release.date(),
                  release.summary().empty() ? "" : absl::StrCat(": ", release.summary()), " (manifest ",
                  release.manifest_hash().substr(0, 12), ").\n");
  if (measured.empty()) absl::StrAppend(md, "\nNo run has measured a task of this release yet.\n");
  std::vector<std::string> notes;
  for (const auto& [group, title] : std::vector<std::pair<std::string, std::string>>{
           {"model", "Models"}, {"reference", "References (no LLM: the ground truth and PyTorch)"}}) {
    std::vector<const Row*> rows;
    for (const Row* r : measured) {
      if (r->group() == group) rows.push_back(r);
    }
    if (rows.empty()) continue;
    absl::StrAppend(md, "\n### ", title, "\n\n", TableHead(RankingHead()));
    int rank = 0;
    for (const Row* r : rows) {
      absl::StrAppend(md, RankingLine(++rank, *r));
      for (const auto& flag : r->flags()) notes.push_back(absl::StrCat(ShortLabel(*r), ": ⚠ ", flag));
    }
  }
  if (!reported.empty()) {
    absl::StrAppend(md, "\n### Reported (published figures, not measured here)\n\n", TableHead(RankingHead()));
    int rank = 0;
    for (const Row* r : reported) {
      absl::StrAppend(md, RankingLine(++rank, *r));
      notes.push_back(absl::StrCat(r->configuration(), " (reported): ", r->source(),
                                   r->definitions().empty() ? "" : absl::StrCat(". ", r->definitions()),
                                   r->note().empty() ? "" : absl::StrCat(" ", r->note())));
    }
  }
  if (!notes.empty()) absl::StrAppend(md, "\n- ", absl::StrJoin(notes, "\n- "), "\n");
  if (measured.empty()) return;

  std::vector<std::string> head = {"category", "tasks"};
  for (const Row* r : measured) head.push_back(Cell(ShortLabel(*r)));
  absl::StrAppend(md, "\n### Per category (correct/measured · speedup geomean)\n\n", TableHead(head));
  std::map<std::string, int> category_tasks;
  for (const auto& t : release.tasks()) ++category_tasks[t.category()];
  for (const auto& [category, n] : category_tasks) {
    std::vector<std::string> cells = {Cell(category), absl::StrCat(n)};
    for (const Row* r : measured) {
      std::string mark = "·";
      for (const auto& c : r->categories()) {
        if (c.category() == category) mark = CategoryMark(c);
      }
      cells.push_back(mark);
    }
    absl::StrAppend(md, "| ", absl::StrJoin(cells, " | "), " |\n");
  }

  head = {"task", "category"};
  for (const Row* r : measured) head.push_back(Cell(ShortLabel(*r)));
  absl::StrAppend(md, "\n### Per task (✓ correct, ✗ failed, · not measured; speedup = harness geomean)\n\n",
                  TableHead(head));
  for (int t = 0; t < release.tasks_size(); ++t) {
    std::vector<std::string> cells = {release.tasks(t).id(), Cell(release.tasks(t).category())};
    for (const Row* r : measured) cells.push_back(t < r->task_cells_size() ? TaskMark(*r, r->task_cells(t)) : "-");
    absl::StrAppend(md, "| ", absl::StrJoin(cells, " | "), " |\n");
  }
  absl::StrAppend(md, "\nReproduce:\n\n");
  for (const Row* r : measured) {
    absl::StrAppend(md, "- ", ShortLabel(*r), ": `", Cell(r->command_line()), "` (harness ",
                    absl::StrJoin(r->harness_content_hashes(), ", ",
                                  [](std::string* out, const std::string& h) { out->append(h.substr(0, 12)); }),
                    "; ", absl::StrJoin(r->software(), "; "), "); runs: ", absl::StrJoin(r->run_dirs(), ", "), "\n");
  }
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

std::string RowName(const Row& r) {
  const std::string where = !r.release().empty()               ? absl::StrCat(" ", r.release())
                            : !r.suite_content_hash().empty() ? absl::StrCat(" (suite ", r.suite_content_hash().substr(0, 12), ")")
                                                              : "";
  return absl::StrCat(r.kind() == "reported" ? "(reported) " : "", r.suite(), where, " · ", r.configuration(),
                      r.model().empty() ? "" : " · ", r.model(), " · ", r.hardware());
}

bool ReportedRowCovers(const Row& row, const std::string& suite) {
  for (absl::string_view part : absl::StrSplit(row.suite(), '+')) {
    if (part == suite) return true;
  }
  return false;
}

std::string RenderMarkdown(const Leaderboard& board) {
  std::string md = "# Triton kernel leaderboard";
  if (board.version() > 0) {
    absl::StrAppend(&md, ": version ", absl::StrFormat("%04d", board.version()));
    if (!board.published_at().empty()) absl::StrAppend(&md, " (", board.published_at(), ")");
  }
  int unreleased = 0;
  for (const auto& u : board.unreleased()) unreleased += u.results();
  absl::StrAppend(
      &md, "\n\nOne table per suite release; a row is one (configuration, model, hardware) on the release's tasks. "
           "**measured** says how many of the release's tasks the row has a result for; accuracy is given over "
           "those, then over the whole release with the unmeasured ones counted as failed (⚠ partial rows measured "
           "only part of it). Speedups are against the task's ground-truth kernel: GEAK's figure (per task the sum "
           "of the ground truth's median times over the performance cases / the candidate's, averaged over correct "
           "tasks) and the geometric mean of the harness's per-task speedup. pass@k is over a row's n runs. Rows "
           "marked **reported** are published figures, never aggregated with measured rows. Definitions at the "
           "end.\n\n",
      board.records_loaded(), " run records loaded (", board.records_in_releases(), " with results in a release), ",
      board.skipped_size(), " skipped, ", unreleased, " results on task content of no release",
      board.skipped_size() + unreleased > 0 ? " (both listed at the end)" : "",
      ". Speedup intervals: percentile bootstrap, 95%, ", board.bootstrap_samples(), " resamples, seed ",
      board.bootstrap_seed(), ".\n");

  // At a glance: per release, the top model row and the ground truth's coverage.
  for (const ReleaseInfo& release : board.releases()) {
    const Row* top = nullptr;
    std::vector<std::string> truths;
    for (const Row& row : board.rows()) {
      if (row.kind() != "measured" || row.suite() != release.suite() || row.release() != release.name()) continue;
      if (row.group() == "model" && top == nullptr) top = &row;
      if (row.configuration() == "ground_truth" && row.judge() != "upstream") {
        truths.push_back(absl::StrCat(row.tasks_measured(), "/", row.tasks(), " on ", row.hardware(), " (",
                                      FormatShare(row.execution_accuracy_measured()), " correct)"));
      }
    }
    absl::StrAppend(&md, "\n- **", release.suite(), " ", release.name(), "**", release.latest() ? " (latest)" : "", ": ");
    if (top != nullptr) {
      absl::StrAppend(&md, "top model ", ShortLabel(*top), ", ", FormatShare(top->execution_accuracy()),
                      " exec. accuracy over the release (", top->tasks_measured(), "/", top->tasks(), " measured)",
                      top->has_speedup_geak() ? absl::StrCat(", GEAK speedup ", FormatSpeedup(top->speedup_geak().value()))
                                              : "");
    } else {
      absl::StrAppend(&md, "no model has runs on this release yet");
    }
    if (!truths.empty()) absl::StrAppend(&md, "; ground truth measured ", absl::StrJoin(truths, ", "));
    absl::StrAppend(&md, ".");
  }
  if (board.releases_size() > 0) absl::StrAppend(&md, "\n");

  for (const ReleaseInfo& release : board.releases()) {
    std::vector<const Row*> measured, reported;
    for (const Row& row : board.rows()) {
      if (row.kind() == "measured" && row.suite() == release.suite() && row.release() == release.name()) {
        measured.push_back(&row);
      }
      if (row.kind() == "reported" && ReportedRowCovers(row, release.suite())) reported.push_back(&row);
    }
    AppendRelease(release, measured, reported, &md);
  }
  // Reported rows of suites without a release here, and rows of older versions.
  std::vector<const Row*> others;
  for (const Row& row : board.rows()) {
    bool shown = false;
    for (const ReleaseInfo& release : board.releases()) {
      shown |= row.kind() == "reported" ? ReportedRowCovers(row, release.suite())
                                        : row.suite() == release.suite() && row.release() == release.name();
    }
    if (!shown) others.push_back(&row);
  }
  if (!others.empty()) {
    absl::StrAppend(&md, "\n## Rows of no release here\n\n", TableHead(RankingHead()));
    int rank = 0;
    for (const Row* r : others) absl::StrAppend(&md, RankingLine(++rank, *r));
  }

  if (board.unreleased_size() > 0) {
    absl::StrAppend(&md, "\n## Results on task content of no release (", unreleased,
                    " results, never counted)\n\n| run record | suite | configuration | results | reason |\n"
                    "|---|---|---|---|---|\n");
    for (const auto& u : board.unreleased()) {
      absl::StrAppend(&md, "| ", Cell(u.path()), " | ", Cell(u.suite()), " | ", Cell(u.configuration()), " | ",
                      u.results(), " | ", Cell(u.reason()), " |\n");
    }
  }
  if (board.skipped_size() > 0) {
    absl::StrAppend(&md, "\n## Skipped records (", board.skipped_size(), ")\n\n| path | reason |\n|---|---|\n");
    for (const auto& s : board.skipped()) absl::StrAppend(&md, "| ", Cell(s.path()), " | ", Cell(s.reason()), " |\n");
  }
  if (board.suites_without_releases_size() > 0) {
    absl::StrAppend(&md, "\n## Suites without releases\n\n");
    for (const auto& s : board.suites_without_releases()) absl::StrAppend(&md, "- ", s.reason(), "\n");
  }

  absl::StrAppend(
      &md,
      "\n## Definitions\n\n"
      "- A row is one (suite release, configuration, model, hardware). A result counts for a release when its "
      "task_content_hash is the task's hash in the suite's releases.textproto; results on other task content are "
      "listed as unreleased and never counted.\n"
      "- Rows of LLM configurations (records with generations) take each run as one of n runs; a task a run did "
      "not measure is failed in that run. Reference rows (ground_truth, torch_eager, torch_compile, "
      "torch_compile_max_autotune) combine every run that measured tasks of the release.\n"
      "- measured: the release's tasks with at least one counted result. A task is correct when it passed in more "
      "than half of its results (LLM rows: of the n runs).\n"
      "- call / exec. acc. (measured): share of the measured tasks that ran without error / passed every check "
      "(LLM rows: the mean over runs, with the runs' min–max). exec. acc. over release: the same over all the "
      "release's tasks, a task not measured counting as failed.\n"
      "- speedup, GEAK: per task, the sum over its performance cases of the ground truth's median time divided by "
      "the sum of the candidate's (median over runs), averaged arithmetically over correct tasks. speedup "
      "geomean: geometric mean over correct tasks of the harness's per-task speedup (the geometric mean over "
      "cases of ground-truth median / candidate median). Both with percentile-bootstrap 95% intervals.\n"
      "- pass@k: 1 − C(n−c, k) / C(n, k) per task with c of n runs correct, averaged over the release's tasks.\n"
      "- fast_1 (KernelBench): share of the release's tasks that are correct and faster than the ground truth.\n"
      "- iters to 1st correct: median over (run, task) pairs that reached a correct kernel, then the distribution "
      "as iterations:count (never = no correct kernel). LLM calls, tokens and cost: mean per task.\n");
  return md;
}

}  // namespace tritonbench
