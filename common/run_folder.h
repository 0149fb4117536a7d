// A run folder, the one writer of run records (results/README.md describes them):
//   run_record.json    the RunRecord: the header when the run starts, rewritten
//                      atomically when it ends, and after every task of a run with
//                      generations;
//   results.jsonl      one EvaluationResult per finished task, appended and flushed as
//                      soon as the task is done, so an interrupted run keeps it;
//   generations.jsonl  a configuration run's TaskGeneration per task, appended after
//                      its result; such a task is finished once its generation is written.
// A folder that holds a run is never overwritten: Create refuses it, and Resume takes
// it up only when the caller's check accepts the run it holds. Resuming keeps the
// finished tasks' lines byte for byte, and drops a torn last line (a run cut
// mid-write) and a result without its generation.
#ifndef TRITONBENCH_COMMON_RUN_FOLDER_H_
#define TRITONBENCH_COMMON_RUN_FOLDER_H_

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

// Marks a run and each of its results with the suite release they measured
// (harness/run_release.h: RunReleases reads the suites' manifests).
class ReleaseMarker {
 public:
  virtual ~ReleaseMarker() = default;
  // The header's release, from the run's tasks as they are when it starts.
  virtual void MarkRun(RunRecord* record) const = 0;
  // The release of one result's task content.
  virtual void MarkResult(EvaluationResult* result) const = 0;
  // At the end: the run's release stays only if it lists every result's task content.
  virtual void ConfirmRun(RunRecord* record) const = 0;
};

struct RunFolderOptions {
  // A configuration run: every task has a TaskGeneration beside its result
  // (Append(result, generation)), and Resume keeps only tasks whose generation was
  // written.
  bool generations = false;
  // Not owned; outlives the folder. Null: releases are left as the caller set them.
  const ReleaseMarker* releases = nullptr;
  // Resume appends the time to RunRecord.resumed_at (evaluate does; a configuration
  // run's resumptions are told by its transcripts' sessions).
  bool stamp_resumed_at = false;
};

class RunFolder {
 public:
  // Whether the run `earlier` found in the folder may be taken up by the run `now`
  // (its header, release marked): OK, or the error Resume returns, naming the difference.
  using ResumeCheck = std::function<absl::Status(const RunRecord& earlier, const RunRecord& now)>;

  // Creates `dir` (and its parents) if needed and writes `header` as the record.
  // AlreadyExists when the folder holds a run (run_record.json or results.jsonl).
  static absl::StatusOr<std::unique_ptr<RunFolder>> Create(const std::string& dir, RunRecord header,
                                                           const RunFolderOptions& options = {});

  // Takes up the run in `dir` when `may_resume` accepts it, keeping its header (run id,
  // start, environment, ...) and its finished tasks; a refused folder is left
  // untouched. A folder without a run is created as by Create; one with results.jsonl
  // but no record is FailedPrecondition. DataLoss naming the file (and line) for a
  // record or a line other than the last that does not parse.
  static absl::StatusOr<std::unique_ptr<RunFolder>> Resume(const std::string& dir, RunRecord header,
                                                           const RunFolderOptions& options,
                                                           const ResumeCheck& may_resume);

  // Whether the task is finished (kept by Resume or appended).
  bool Finished(const std::string& task_id) const { return finished_.count(task_id) > 0; }
  // Tasks kept from the run Resume took up.
  int resumed() const { return resumed_; }

  // Appends the task's result (its release marked).
  absl::Status Append(const EvaluationResult& result);
  // A configuration run's task: its result, then its generation, then run_record.json
  // rewritten.
  absl::Status Append(const EvaluationResult& result, const TaskGeneration& generation);

  // Stamps finished_at, the counts and whether the run was interrupted, confirms the
  // run's release, and rewrites run_record.json.
  absl::Status Finish(bool interrupted);

  const RunRecord& record() const { return record_; }
  const std::string& dir() const { return dir_; }

 private:
  RunFolder(std::string dir, RunRecord record, const RunFolderOptions& options)
      : dir_(std::move(dir)), record_(std::move(record)), options_(options) {}
  absl::Status AppendResult(const EvaluationResult& result);
  absl::Status WriteRecord();

  std::string dir_;
  RunRecord record_;
  RunFolderOptions options_;
  std::set<std::string> finished_;
  int resumed_ = 0;
};

// The ResumeCheck of a measurement (evaluate --resume): refuses a run that finished
// without being interrupted, and one that is not the same measurement as `now`:
// configuration, harness version and content hash, suite content hash (the same tasks,
// unchanged), the release (when both records name one), settings
// (ComparableSettings), device and software versions (hostname and OS aside).
// `dir` names the folder in the error.
absl::Status SameMeasurement(const std::string& dir, const RunRecord& earlier, const RunRecord& now);

// `settings` as JSON for comparing two runs' measurements: without gpu_lock_path, which
// names where a runner keeps its lock, not what it measures.
std::string ComparableSettings(const EvaluationSettings& settings);

// Recomputes tasks_total, call_ok, execution_ok and skipped from record->results().
void CountResults(RunRecord* record);

// Current UTC time in RFC 3339, e.g. 2026-11-24T10:00:00Z: the records' time stamps.
std::string NowRfc3339();

}  // namespace tritonbench

#endif  // TRITONBENCH_COMMON_RUN_FOLDER_H_
