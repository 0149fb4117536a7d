#include "leaderboard/current_suite.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/files.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

// Whether every result of `record` measured its task's present content: the run's
// suite version equals the ContentHash of the tree's copies of the tasks it evaluated.
// For records written before results carried task_content_hash. `hashes` keeps the
// hash of each set of tasks seen, so runs over the same tasks read the tree once.
bool RunMatchesTree(const RunRecord& record, const CurrentSuite& suite,
                    std::map<std::string, std::string>* hashes) {
  std::set<std::string> ids;
  std::vector<std::string> dirs;
  for (const auto& r : record.results()) {
    auto it = suite.task_dirs.find(r.task_id());
    if (it == suite.task_dirs.end()) return false;  // a task since removed or renamed
    if (ids.insert(r.task_id()).second) dirs.push_back(it->second);
  }
  if (dirs.empty()) return false;
  const std::string key = absl::StrJoin(ids, "\n");
  auto cached = hashes->find(key);
  if (cached == hashes->end()) {
    auto hash = ContentHash(dirs);
    cached = hashes->emplace(key, hash.ok() ? *hash : "").first;
  }
  return !cached->second.empty() && cached->second == record.suite_content_hash();
}

std::string GroupKey(const RunRecord& record) {
  return absl::StrJoin({record.configuration(), record.model().name(), HardwareName(record)}, "|");
}

}  // namespace

absl::StatusOr<std::vector<CurrentSuite>> ReadCurrentSuites(const std::string& suites_root) {
  std::vector<CurrentSuite> suites;
  std::error_code error;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(suites_root, error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  if (error) return absl::NotFoundError(absl::StrCat(suites_root, ": ", error.message()));
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto dirs = ListTaskDirs(absl::StrCat(suites_root, "/", name));
    if (!dirs.ok()) continue;  // a folder that is not a suite (BUILD files live beside them)
    CurrentSuite suite;
    suite.name = name;
    auto all = ContentHash(*dirs, &suite.task_hashes);
    if (!all.ok()) return all.status();
    suite.content_hash = *all;
    for (const auto& dir : *dirs) suite.task_dirs[BaseName(dir)] = dir;
    suites.push_back(std::move(suite));
  }
  if (suites.empty()) return absl::NotFoundError(absl::StrCat(suites_root, ": no suite folders with tasks"));
  return suites;
}

std::vector<Row> CurrentSuiteRows(const LoadedRuns& loaded, const std::vector<CurrentSuite>& suites,
                                  const AggregateOptions& options) {
  std::vector<Row> rows;
  for (const CurrentSuite& suite : suites) {
    // Group key -> task id -> counted results; and the runs that gave any.
    std::map<std::string, std::map<std::string, std::vector<const EvaluationResult*>>> counted;
    std::map<std::string, std::vector<const LoadedRun*>> contributors;
    std::map<std::string, std::string> task_set_hashes;  // for RunMatchesTree
    for (const auto& run : loaded.runs) {
      const RunRecord& rec = run.record;
      if (rec.suite() != suite.name || rec.generations_size() > 0) continue;
      // Only records older than task_content_hash need the whole-run comparison.
      const bool needs_run_hash = std::any_of(rec.results().begin(), rec.results().end(),
                                              [](const auto& r) { return r.task_content_hash().empty(); });
      const bool whole_run_matches = needs_run_hash && RunMatchesTree(rec, suite, &task_set_hashes);
      bool any = false;
      for (const auto& r : rec.results()) {
        auto current = suite.task_hashes.find(r.task_id());
        if (current == suite.task_hashes.end()) continue;
        const bool matches = r.task_content_hash().empty() ? whole_run_matches
                                                           : r.task_content_hash() == current->second;
        if (!matches) continue;
        counted[GroupKey(rec)][r.task_id()].push_back(&r);
        any = true;
      }
      if (any) contributors[GroupKey(rec)].push_back(&run);
    }
    for (const auto& [key, by_task] : counted) {
      const auto& runs = contributors[key];
      const RunRecord& first = runs.front()->record;
      Row row;
      row.set_kind("measured");
      row.set_current_suite(true);
      row.set_suite(suite.name);
      row.set_suite_content_hash(suite.content_hash);
      row.set_configuration(first.configuration());
      row.set_model(first.model().name());
      row.set_hardware(HardwareName(first));
      row.set_key(absl::StrCat(RowKey(row), "|current"));
      row.set_command_line("combined from the run records listed (each one's command line is in its run_record.json)");
      row.set_tasks(static_cast<int>(suite.task_hashes.size()));
      std::set<std::string> harness_hashes, software;
      for (const LoadedRun* run : runs) {
        row.add_run_dirs(run->dir);
        harness_hashes.insert(run->record.harness_content_hash());
        software.insert(SoftwareLine(run->record.environment()));
      }
      for (const auto& h : harness_hashes) row.add_harness_content_hashes(h);
      for (const auto& s : software) row.add_software(s);
      int call = 0, correct = 0, most = 0;
      std::map<int, int> measured_times;  // results per task -> tasks
      for (const auto& [task, hash] : suite.task_hashes) {
        auto it = by_task.find(task);
        static const std::vector<const EvaluationResult*> kNone;
        const auto& results = it == by_task.end() ? kNone : it->second;
        TaskCell* cell = row.add_task_cells();
        cell->set_task_id(task);
        // A task never measured is one expected result, missing.
        FillTaskCell(results, std::max<int>(1, results.size()), cell);
        call += 2 * cell->call_ok_runs() > std::max(1, cell->runs());
        correct += cell->correct();
        most = std::max(most, cell->runs());
        ++measured_times[cell->runs()];
      }
      const double tasks = row.tasks();
      row.set_runs(most);
      row.set_call_accuracy(call / tasks);
      row.set_execution_accuracy(correct / tasks);
      row.set_execution_accuracy_min(correct / tasks);
      row.set_execution_accuracy_max(correct / tasks);
      SetSpeedupSummary(options, &row);
      std::vector<std::string> times;
      for (const auto& [n, count] : measured_times) {
        times.push_back(n == 0 ? absl::StrCat(count, " never") : absl::StrCat(count, " ", n, "x"));
      }
      row.add_flags(absl::StrCat("current suite: ", runs.size(), " run records combined; of its ",
                                 row.tasks(), " tasks, measured ", absl::StrJoin(times, ", "),
                                 " (only results of each task's present content count)"));
      if (harness_hashes.size() > 1) {
        row.add_flags(absl::StrCat("runs of ", harness_hashes.size(), " harness versions are combined in this row"));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace tritonbench
