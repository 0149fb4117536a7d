#include "agent/run_folder.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/json.h"
#include "harness/evaluator.h"
#include "harness/run_record_writer.h"

namespace tritonbench {
namespace {

absl::Status AppendLine(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << "\n";
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("cannot append to ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RunFolder>> RunFolder::Open(
    const std::string& dir, RunRecord header, const RunReleases* releases,
    const std::function<absl::Status(const RunRecord&)>& may_resume) {
  if (releases) releases->MarkRun(&header);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  const std::string record_path = dir + "/run_record.json";
  if (!IsRegularFile(record_path)) {
    if (IsRegularFile(dir + "/results.jsonl")) {
      return absl::FailedPreconditionError(absl::StrCat(dir, " holds results.jsonl but no run_record.json"));
    }
    std::unique_ptr<RunFolder> folder(new RunFolder(dir, std::move(header), releases));
    if (auto s = folder->WriteRecord(); !s.ok()) return s;
    return folder;
  }
  auto text = ReadFile(record_path);
  if (!text.ok()) return text.status();
  RunRecord old;
  if (auto s = FromJson(*text, &old); !s.ok()) return absl::DataLossError(absl::StrCat(record_path, ": ", s.message()));
  if (old.configuration() != header.configuration() || old.model().name() != header.model().name()) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds a run of configuration '", old.configuration(), "' with model '", old.model().name(),
        "'; this run is '", header.configuration(), "' with '", header.model().name(), "': choose another --out"));
  }
  if (!old.release().empty() && !header.release().empty() && old.release() != header.release()) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " holds a run of release '", old.release(),
                                                      "'; the tasks are of '", header.release(),
                                                      "' now: choose another --out"));
  }
  if (may_resume) {
    if (auto s = may_resume(old); !s.ok()) return s;
  }
  auto results = ReadJsonLines<EvaluationResult>(dir + "/results.jsonl");
  if (!results.ok()) return results.status();
  auto generations = ReadJsonLines<TaskGeneration>(dir + "/generations.jsonl");
  if (!generations.ok()) return generations.status();
  std::map<std::string, EvaluationResult> by_task;
  for (auto& r : *results) by_task[r.task_id()] = r;

  RunRecord record = old;
  record.clear_results();
  record.clear_generations();
  record.set_finished_at("");
  record.set_interrupted(false);
  if (record.release().empty()) {
    record.set_release(header.release());
    record.set_release_manifest_hash(header.release_manifest_hash());
  }
  std::unique_ptr<RunFolder> folder(new RunFolder(dir, std::move(record), releases));
  std::string results_text, generations_text;
  for (const auto& g : *generations) {
    auto it = by_task.find(g.task_id());
    if (it == by_task.end() || folder->finished_.count(g.task_id())) continue;
    folder->finished_.insert(g.task_id());
    *folder->record_.add_results() = it->second;
    *folder->record_.add_generations() = g;
    absl::StrAppend(&results_text, ToJson(it->second), "\n");
    absl::StrAppend(&generations_text, ToJson(g), "\n");
  }
  folder->resumed_ = static_cast<int>(folder->finished_.size());
  // Rewrite both files to the finished tasks only (drops torn lines and orphan results).
  for (const auto& [name, body] : {std::pair<std::string, std::string>{"results.jsonl", results_text},
                                   {"generations.jsonl", generations_text}}) {
    if (auto s = WriteFileAtomically(absl::StrCat(dir, "/", name), body); !s.ok()) return s;
  }
  if (auto s = folder->WriteRecord(); !s.ok()) return s;
  return folder;
}

absl::Status RunFolder::Append(const EvaluationResult& measured, const TaskGeneration& generation) {
  EvaluationResult result = measured;
  if (releases_) releases_->MarkResult(&result);
  if (auto s = AppendLine(dir_ + "/results.jsonl", ToJson(result)); !s.ok()) return s;
  if (auto s = AppendLine(dir_ + "/generations.jsonl", ToJson(generation)); !s.ok()) return s;
  *record_.add_results() = result;
  *record_.add_generations() = generation;
  finished_.insert(result.task_id());
  CountResults(&record_);
  return WriteRecord();
}

absl::Status RunFolder::Finish(bool interrupted) {
  record_.set_finished_at(NowRfc3339());
  record_.set_interrupted(interrupted);
  CountResults(&record_);
  if (releases_) releases_->ConfirmRun(&record_);
  return WriteRecord();
}

absl::Status RunFolder::WriteRecord() {
  return WriteFileAtomically(dir_ + "/run_record.json", ToJson(record_, /*pretty=*/true) + "\n");
}

}  // namespace tritonbench
