// Writes a run's records into one folder as they are produced:
//   run_record.json  the RunRecord: written at Open (no results yet) and rewritten,
//                    atomically, by Finish with every result and the counts;
//   results.jsonl    one EvaluationResult per line, appended and flushed as soon as a
//                    task is evaluated, so an interrupted run loses no finished task.
// A folder that already holds a run is refused: runs are append-only.
#ifndef TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_
#define TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

class RunRecordWriter {
 public:
  // Creates `dir` (and its parents) if needed and writes the header record.
  static absl::StatusOr<std::unique_ptr<RunRecordWriter>> Open(const std::string& dir, RunRecord header);

  absl::Status Append(const EvaluationResult& result);

  // Stamps finished_at, the counts and whether the run was interrupted, and rewrites
  // run_record.json.
  absl::Status Finish(bool interrupted);

  const RunRecord& record() const { return record_; }

 private:
  RunRecordWriter(std::string dir, RunRecord header) : dir_(std::move(dir)), record_(std::move(header)) {}
  absl::Status WriteRecord();

  std::string dir_;
  RunRecord record_;
};

// Recomputes tasks_total, call_ok, execution_ok and skipped from record->results().
void CountResults(RunRecord* record);

// Current UTC time in RFC 3339, e.g. 2026-11-24T10:00:00Z.
std::string NowRfc3339();

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_RUN_RECORD_WRITER_H_
