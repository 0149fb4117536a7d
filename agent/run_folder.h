// The run folder of a configuration run, resumable:
//   run_record.json    the RunRecord (model, generations, results), rewritten atomically
//                      after every task and at the end;
//   results.jsonl      one EvaluationResult per finished task, appended and flushed
//                      (the same file as harness/run_record_writer.h writes);
//   generations.jsonl  one TaskGeneration per finished task, appended after its result;
//   candidates/<task>/ every candidate file, raw answer and the agent's log.
// A task is finished when its generation line is written. Opening a folder that
// already holds a run of the same configuration resumes it: finished tasks are kept
// and skipped, a result without its generation line (a run cut between the two
// appends) and a torn last line are dropped. (harness/run_record_writer.h carries no
// generations, so this writer stands beside it and keeps its file formats.)
#ifndef TRITONBENCH_AGENT_RUN_FOLDER_H_
#define TRITONBENCH_AGENT_RUN_FOLDER_H_

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "harness/proto/run_record.pb.h"
#include "harness/run_release.h"

namespace tritonbench {

class RunFolder {
 public:
  // New folder: writes `header`. Existing run: resumes it when its configuration
  // equals header.configuration() and its model name equals header.model().name()
  // (FailedPrecondition naming both otherwise), its release equals the header's when
  // both name one, and `may_resume`, when given, accepts its record (its error is
  // returned); a refused folder is left untouched. DataLoss naming the file and line
  // for a corrupt line other than the last. With `releases` (not owned, outliving the
  // folder), the run and each result are marked with their release as
  // RunRecordWriter does.
  static absl::StatusOr<std::unique_ptr<RunFolder>> Open(
      const std::string& dir, RunRecord header, const RunReleases* releases = nullptr,
      const std::function<absl::Status(const RunRecord& earlier)>& may_resume = nullptr);

  bool Finished(const std::string& task_id) const { return finished_.count(task_id) > 0; }
  // Tasks kept from the earlier run this folder resumed.
  int resumed() const { return resumed_; }

  // Appends the task's result, then its generation, and rewrites run_record.json.
  absl::Status Append(const EvaluationResult& result, const TaskGeneration& generation);

  // Stamps finished_at, the counts and whether the run was interrupted.
  absl::Status Finish(bool interrupted);

  const RunRecord& record() const { return record_; }
  const std::string& dir() const { return dir_; }

 private:
  RunFolder(std::string dir, RunRecord record, const RunReleases* releases)
      : dir_(std::move(dir)), record_(std::move(record)), releases_(releases) {}
  absl::Status WriteRecord();

  std::string dir_;
  RunRecord record_;
  const RunReleases* releases_;
  std::set<std::string> finished_;
  int resumed_ = 0;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_RUN_FOLDER_H_
