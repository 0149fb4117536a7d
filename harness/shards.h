// A run split into shards, each run by its own runner (evaluate/run_config
// --shard=I/N, on the machines of a Slurm job array or a Kubernetes Indexed Job), and
// the shards put back together into one run (tools/merge_runs).
//
// Every shard splits the whole run's task list the same way (SplitTasks: by the tasks'
// recorded cost where a previous run recorded it, else by name), runs its part into an
// ordinary run folder, by convention RUN/shards/shard-I-of-N, and records the whole
// split (RunRecord.shard). An interrupted shard is taken up again in the same folder
// (evaluate --resume, run_config with the same --out). MergeShards checks that the
// shards are of one run (release, harness, configuration, settings, device and
// software, the same split) and complete, naming the shards and tasks missing, and
// writes the merged run: a run folder like any other, whose record lists its shards.
#ifndef TRITONBENCH_HARNESS_SHARDS_H_
#define TRITONBENCH_HARNESS_SHARDS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/run_record.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

struct ShardSpec {
  int index = 0;  // from 0
  int count = 1;
};

// "I/N": shard I of N, I counted from 0 (as Slurm array and Kubernetes completion
// indices are), 0 <= I < N. Errors name the flag.
absl::StatusOr<ShardSpec> ParseShard(const std::string& flag);

// "shard-2-of-4": a shard's run folder under RUN/shards/.
std::string ShardFolderName(int index, int count);

// Wall seconds per task (EvaluationResult.wall_seconds) as recorded at `path`: a
// results.jsonl file, or a folder holding results.jsonl files at any depth (a run, a
// merged run, a sharded run's shards); a task recorded several times gets the mean.
// NotFound when `path` holds no results.jsonl.
absl::StatusOr<std::map<std::string, double>> ReadTaskCosts(const std::string& path);

// Splits a run's tasks (id, content hash; in the run's order) into `count` shards.
// With a cost for any task: longest first, each to the shard with the least cost so far
// (the lowest index among equals), tasks without a recorded cost counting as the mean
// of those with one ("cost"). Without: the ids in sorted order dealt to shards 0, 1, ...
// in turn ("name"). Deterministic: the same tasks and costs give the same split.
// `index` is left 0, and the run-wide hashes and release empty.
ShardInfo SplitTasks(const std::vector<std::pair<std::string, std::string>>& tasks, int count,
                     const std::map<std::string, double>& costs);

// What one runner runs of a sharded run.
struct ShardSelection {
  // Indices into the run's task list of this shard's tasks, in the run's order.
  std::vector<size_t> tasks;
  // For RunRecord.shard: the split, this shard's index, the whole run's suite content
  // hash and release (RunReleases over every task folder).
  ShardInfo info;
};

// The part `spec` names of the run over `task_dirs` (whose ids are `task_ids`), split
// by the costs recorded at `costs_path` ("": by name; ReadTaskCosts).
absl::StatusOr<ShardSelection> SelectShard(const std::vector<std::string>& task_dirs,
                                           const std::vector<std::string>& task_ids, const ShardSpec& spec,
                                           const std::string& costs_path);

// For a runner's --shard and --shard_costs flags: keeps in `tasks` and `task_dirs` (the
// run's, loaded from those folders) only the part `shard_flag` names, and returns that
// selection; nullopt, with every task kept, when `shard_flag` is empty. Errors name the
// flag: a bad --shard, --shard_costs without --shard or where no costs are recorded.
absl::StatusOr<std::optional<ShardSelection>> TakeShard(const std::string& shard_flag, const std::string& costs_flag,
                                                        std::vector<Task>* tasks, std::vector<std::string>* task_dirs);

// "shard 1/4: 2 of 8 task(s), balanced by cost"
std::string ShardSummary(const ShardSelection& selection);

// A run folder is taken up by the same shard of the same split only: FailedPrecondition
// naming the difference when `out_dir`'s record is of another shard or split, or is
// (or is not) a shard when `now` is not (is). OK when `out_dir` holds no run.
absl::Status CheckShardResumable(const std::string& out_dir, const ShardInfo* now);

// Where the shards of a run stand.
struct ShardState {
  enum State { kMissing, kUnfinished, kFinished };
  int index = 0;
  State state = kMissing;
  std::string dir;  // its run folder; empty when missing
  int finished_tasks = 0;
  // Its tasks in the split, and those without a result yet.
  std::vector<std::string> tasks;
  std::vector<std::string> missing_tasks;
  std::string why;  // for kUnfinished: "interrupted", "never finished"
};

struct ShardsStatus {
  int count = 0;
  std::vector<ShardState> shards;  // by index, 0 .. count-1
  // A line per shard ("shard 1/4: unfinished, 1 of 2 tasks (interrupted; missing:
  // test_randn) in DIR").
  std::string Describe() const;
  // Indices of the shards not finished, ascending.
  std::vector<int> Unfinished() const;
};

// Finds the shard run folders at `paths` (each a shard's folder, or a folder whose
// subfolders are) and says where each shard stands. `count`: the number of shards
// expected (0: as the records say). Errors (FailedPrecondition, one line per problem):
// records that are not shards, that disagree on the count or the split, or two
// folders for one shard; none found and no `count`.
absl::StatusOr<ShardsStatus> ReadShards(const std::vector<std::string>& paths, int count = 0);

// Merges the shards at `paths` (as ReadShards finds them) into the run folder
// `out_dir` (created if needed; one that holds a run is refused): run_record.json,
// results.jsonl (and generations.jsonl) with every shard's lines byte for byte in the
// run's task order, the shards' candidates/ and their transcripts/ sessions numbered in
// shard order. The record is shard 0's, with the whole run's suite content hash and
// release (kept only if every result measured the task content the split recorded),
// the earliest start, the latest finish, every resumption, and each shard's record in
// merged_shards. Refused, naming each problem, unless every shard is finished, has a
// result for each of its tasks and no other, and is of the same run as shard 0
// (configuration, model, provenance, harness, release, settings, device and software).
absl::StatusOr<RunRecord> MergeShards(const std::vector<std::string>& paths, const std::string& out_dir);

// Why shard record `b` is not of the same run as `a` ("harness content hash was 'x', now
// 'y'"), or "" when it is. Hostnames and GPU counts may differ.
std::string ShardDifference(const RunRecord& a, const RunRecord& b);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_SHARDS_H_
