// Which release a run and each of its results measured (RunRecord.release,
// EvaluationResult.release), from the manifest of each task's suite: the folder that
// holds the task folder (suites/<suite>/releases.textproto, harness/release.h).
#ifndef TRITONBENCH_HARNESS_RUN_RELEASE_H_
#define TRITONBENCH_HARNESS_RUN_RELEASE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/run_folder.h"
#include "harness/proto/evaluation.pb.h"
#include "harness/proto/release.pb.h"
#include "harness/proto/run_record.pb.h"

namespace tritonbench {

// The ReleaseMarker of a run folder (common/run_folder.h).
class RunReleases : public ReleaseMarker {
 public:
  // For a run of `task_dirs`: reads the manifest of each folder's suite (a suite
  // without one leaves its tasks unreleased) and hashes each folder as it is now.
  // Errors: a manifest that exists but does not read or parse (naming it), a folder
  // that cannot be read.
  static absl::StatusOr<RunReleases> Load(const std::vector<std::string>& task_dirs);

  // Sets record->release and release_manifest_hash: the newest release of the run's
  // suite that lists every task with its content now (ReleaseOfTasks); kUnreleased and
  // no hash when none does, the suite has no manifest, or the tasks come from several
  // suites.
  void MarkRun(RunRecord* record) const override;

  // Sets result->release: the newest release of its task's suite listing its task_id
  // with its task_content_hash (ReleaseOfTask); kUnreleased otherwise. A result
  // without task_content_hash (no candidate was evaluated: the answer held no code)
  // first gets its task's hash as loaded.
  void MarkResult(EvaluationResult* result) const override;

  // At the end of a run: record->release stays only if that release lists the task of
  // every result with the result's task_content_hash (a task edited while the run went
  // on makes it unreleased).
  void ConfirmRun(RunRecord* record) const override;

 private:
  // By task id: the manifest of its suite (null: none).
  std::map<std::string, std::shared_ptr<const SuiteReleases>> manifest_of_;
  // By task id: its content hash when loaded.
  std::map<std::string, std::string> hashes_;
  // The one suite's manifest of all the tasks; null for several suites or none.
  std::shared_ptr<const SuiteReleases> run_manifest_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_RUN_RELEASE_H_
