// Rows over the suites as they stand in the tree ("current-suite rows"), combined from
// partial runs. Campaigns on a lent GPU measure a suite a few dozen tasks at a time,
// and each run record's suite version covers only the tasks it evaluated; these rows
// put every measurement of a task back together, as long as it was of the same task:
//
// - A result counts for a task when it measured the task's present content: its
//   task_content_hash equals the tree's, or (records from before that field) its run's
//   suite_content_hash equals the ContentHash of the tree's copies of every task that
//   run evaluated (no task of that run has changed since).
// - One row per (suite, configuration, model, hardware) with a counted result; its
//   tasks are all the suite's tasks in the tree, so a task never measured counts as
//   failed ("MISSING"). Per task: correct when more than half of its counted results
//   are; speedup = their median, min-max = the run-to-run spread.
// - Accuracy is the share of the suite's tasks that are correct (call: that ran without
//   error in more than half of theirs); rows of records with LLM generations are left
//   to the ordinary rows (their per-run curves do not combine).
#ifndef TRITONBENCH_LEADERBOARD_CURRENT_SUITE_H_
#define TRITONBENCH_LEADERBOARD_CURRENT_SUITE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leaderboard/aggregate.h"
#include "leaderboard/proto/leaderboard.pb.h"
#include "leaderboard/run_loader.h"

namespace tritonbench {

struct CurrentSuite {
  std::string name;                               // the folder name, e.g. "rocm"
  std::string content_hash;                       // ContentHash of all its task folders
  std::map<std::string, std::string> task_hashes;  // task id (folder name) -> ContentHash
  std::map<std::string, std::string> task_dirs;    // task id -> its folder
};

// Every suite folder under `suites_root` (one with task folders), with its tasks'
// content hashes. NotFound when `suites_root` holds no suite.
absl::StatusOr<std::vector<CurrentSuite>> ReadCurrentSuites(const std::string& suites_root);

// The current-suite rows (see above), kind "measured" with current_suite set, ordered
// by suite, configuration, model, hardware.
std::vector<Row> CurrentSuiteRows(const LoadedRuns& loaded, const std::vector<CurrentSuite>& suites,
                                  const AggregateOptions& options);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_CURRENT_SUITE_H_
