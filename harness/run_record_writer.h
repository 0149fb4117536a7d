// Writes a run's records into one folder as they are produced:
//   run_record.json  the RunRecord: written at Open (no results yet) and rewritten,
//                    atomically, by Finish with every result and the counts;
//   results.jsonl    one EvaluationResult per line, appended and flushed as soon as a
//                    task is evaluated, so an interrupted run loses no finished task.
// A folder that already holds a run is refused by Open (runs are append-only); Resume
// takes up a run that never finished, when it is the same measurement.
#ifndef TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_
#define TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/json.h"
#include "harness/evaluator.h"
#include "harness/proto/run_record.pb.h"
#include "harness/run_release.h"

namespace tritonbench {

class RunRecordWriter {
 public:
  // Creates `dir` (and its parents) if needed and writes the header record. With
  // `releases` (not owned, outliving the writer), the header's release is that of the
  // run's tasks as they are now, each appended result is marked with its release, and
  // Finish confirms the run's (RunReleases).
  static absl::StatusOr<std::unique_ptr<RunRecordWriter>> Open(const std::string& dir, RunRecord header,
                                                               const RunReleases* releases = nullptr);

  // Takes up the run in `dir` that never finished (no finished_at) or was interrupted,
  // keeping its run_id, start, environment and finished results and stamping
  // resumed_at. Refused (FailedPrecondition naming the difference) unless it is the
  // same measurement as `header`: configuration, harness version and content hash,
  // suite content hash (the same tasks, unchanged), the release (when both records
  // name one), settings (ComparableSettings), and device and software versions
  // (hostname and OS aside). A
  // folder without a run is opened as by Open. A torn last line of results.jsonl (a
  // run cut mid-write) is dropped.
  static absl::StatusOr<std::unique_ptr<RunRecordWriter>> Resume(const std::string& dir, RunRecord header,
                                                                 const RunReleases* releases = nullptr);

  // Whether the task's result is already in the record (kept by Resume or appended).
  bool Finished(const std::string& task_id) const { return finished_.count(task_id) > 0; }
  // Results kept from before the resumption.
  int resumed() const { return resumed_; }

  absl::Status Append(const EvaluationResult& result);

  // Stamps finished_at, the counts and whether the run was interrupted, and rewrites
  // run_record.json.
  absl::Status Finish(bool interrupted);

  const RunRecord& record() const { return record_; }

 private:
  RunRecordWriter(std::string dir, RunRecord header, const RunReleases* releases)
      : dir_(std::move(dir)), record_(std::move(header)), releases_(releases) {}
  absl::Status WriteRecord();

  std::string dir_;
  RunRecord record_;
  const RunReleases* releases_;
  std::set<std::string> finished_;
  int resumed_ = 0;
};

// `settings` as JSON for comparing two runs' measurements: without gpu_lock_path, which
// names where a runner keeps its lock, not what it measures.
std::string ComparableSettings(const EvaluationSettings& settings);

// Recomputes tasks_total, call_ok, execution_ok and skipped from record->results().
void CountResults(RunRecord* record);

// Current UTC time in RFC 3339, e.g. 2026-11-24T10:00:00Z.
std::string NowRfc3339();

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_
