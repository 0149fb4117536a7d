// Finds and checks run records (results/README.md describes the layout): every
// run_record.json under the given roots, each in its own run folder beside its
// results.jsonl. A record that cannot be trusted is never counted: it comes back in
// `skipped` with its path and the reason, and the leaderboard shows how many.
#ifndef TRITONBENCH_LEADERBOARD_RUN_LOADER_H_
#define TRITONBENCH_LEADERBOARD_RUN_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/run_record.pb.h"
#include "leaderboard/proto/leaderboard.pb.h"

namespace tritonbench {

struct LoadedRun {
  // The run folder, as found under its root (the root's spelling is kept).
  std::string dir;
  RunRecord record;
};

struct LoadedRuns {
  // Sorted by folder.
  std::vector<LoadedRun> runs;
  std::vector<SkippedRecord> skipped;
};

// Walks each root (a run folder, or a folder holding run folders at any depth).
// Skipped, with the reason: a run_record.json that does not parse as a RunRecord; one
// without suite, suite_content_hash or configuration; an unfinished (no finished_at)
// or interrupted run; tasks_total different from the number of results; a task
// evaluated twice; one shard of a sharded run (RunRecord.shard: the run tools/merge_runs
// makes of the shards counts instead); a results.jsonl whose lines do not parse or whose count differs
// from the record's; a results.jsonl with no run_record.json; a run_id already loaded
// from another folder (folders are read in path order; the first one counts).
// Fails (NotFound) only when a root does not exist.
absl::StatusOr<LoadedRuns> LoadRuns(const std::vector<std::string>& roots);

// Checks one run folder; the error message is the reason it is skipped.
absl::StatusOr<RunRecord> LoadRunFolder(const std::string& dir);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_RUN_LOADER_H_
