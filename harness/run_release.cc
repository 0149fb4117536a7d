#include "harness/run_release.h"

#include <filesystem>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "harness/release.h"
#include "harness/suite.h"

namespace tritonbench {

absl::StatusOr<RunReleases> RunReleases::Load(const std::vector<std::string>& task_dirs) {
  RunReleases out;
  std::map<std::string, std::shared_ptr<const SuiteReleases>> by_suite;
  std::set<std::string> suites;
  for (const auto& dir : task_dirs) {
    const std::string suite = std::filesystem::absolute(std::string(absl::StripSuffix(dir, "/")))
                                  .lexically_normal()
                                  .parent_path()
                                  .string();
    suites.insert(suite);
    if (by_suite.count(suite) == 0) {
      auto releases = LoadReleases(suite);
      if (releases.ok()) {
        by_suite[suite] = std::make_shared<const SuiteReleases>(*std::move(releases));
      } else if (absl::IsNotFound(releases.status())) {
        by_suite[suite] = nullptr;
      } else {
        return releases.status();
      }
    }
    out.manifest_of_[BaseName(dir)] = by_suite[suite];
  }
  if (auto all = ContentHash(task_dirs, &out.hashes_); !all.ok()) return all.status();
  if (suites.size() == 1) out.run_manifest_ = by_suite.begin()->second;
  return out;
}

void RunReleases::MarkRun(RunRecord* record) const {
  const Release* release = run_manifest_ ? ReleaseOfTasks(*run_manifest_, hashes_) : nullptr;
  record->set_release(release ? release->name() : kUnreleased);
  record->set_release_manifest_hash(release ? release->manifest_hash() : "");
}

void RunReleases::MarkResult(EvaluationResult* result) const {
  if (result->task_content_hash().empty()) {
    auto hash = hashes_.find(result->task_id());
    if (hash != hashes_.end()) result->set_task_content_hash(hash->second);
  }
  auto it = manifest_of_.find(result->task_id());
  const Release* release = it != manifest_of_.end() && it->second
                               ? ReleaseOfTask(*it->second, result->task_id(), result->task_content_hash())
                               : nullptr;
  result->set_release(release ? release->name() : kUnreleased);
}

void RunReleases::ConfirmRun(RunRecord* record) const {
  if (record->release() == kUnreleased || record->release().empty()) return;
  const Release* release = nullptr;
  if (run_manifest_) {
    for (const auto& r : run_manifest_->releases()) {
      if (r.name() == record->release()) release = &r;
    }
  }
  std::map<std::string, std::string> listed;
  if (release) {
    for (const auto& t : release->tasks()) listed[t.id()] = t.content_hash();
  }
  bool all = release != nullptr;
  for (const auto& r : record->results()) {
    auto it = listed.find(r.task_id());
    if (it == listed.end() || it->second != r.task_content_hash()) all = false;
  }
  if (!all) {
    record->set_release(kUnreleased);
    record->set_release_manifest_hash("");
  }
}

}  // namespace tritonbench
