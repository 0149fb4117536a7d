#include "common/run_folder.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "common/json.h"

namespace tritonbench {
namespace {

absl::Status AppendLine(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << "\n";
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("cannot append to ", path));
  return absl::OkStatus();
}

// Why `old` is not the same measurement as `now`, or "" if it is.
std::string MeasurementDifference(const RunRecord& old, const RunRecord& now) {
  auto differs = [](const std::string& what, const std::string& a, const std::string& b) {
    return a == b ? std::string() : absl::StrCat(what, " was '", a, "', now '", b, "'");
  };
  const Environment& a = old.environment();
  const Environment& b = now.environment();
  for (const std::string& d : {
           differs("configuration", old.configuration(), now.configuration()),
           differs("harness version", old.harness_version(), now.harness_version()),
           differs("harness content hash", old.harness_content_hash(), now.harness_content_hash()),
           differs("suite content hash (the tasks or their files)", old.suite_content_hash(),
                   now.suite_content_hash()),
           // A record older than releases names none.
           old.release().empty() || now.release().empty() ? "" : differs("release", old.release(), now.release()),
           differs("settings", ComparableSettings(old.settings()), ComparableSettings(now.settings())),
           differs("backend", a.backend(), b.backend()),
           differs("device", a.device_name(), b.device_name()),
           differs("device count", absl::StrCat(a.device_count()), absl::StrCat(b.device_count())),
           differs("driver", a.driver_version(), b.driver_version()),
           differs("runtime", a.runtime_version(), b.runtime_version()),
           differs("torch", a.torch_version(), b.torch_version()),
           differs("triton", a.triton_version(), b.triton_version()),
           differs("python", a.python_version(), b.python_version()),
       }) {
    if (!d.empty()) return d;
  }
  return "";
}

}  // namespace

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

std::string ComparableSettings(const EvaluationSettings& settings) {
  EvaluationSettings s = settings;
  s.clear_gpu_lock_path();
  return ToJson(s);
}

void CountResults(RunRecord* record) {
  int call_ok = 0, execution_ok = 0, skipped = 0;
  for (const auto& r : record->results()) {
    call_ok += r.call_ok();
    execution_ok += r.execution_ok();
    skipped += r.failure_kind() == UNSUPPORTED;
  }
  record->set_tasks_total(record->results_size());
  record->set_call_ok(call_ok);
  record->set_execution_ok(execution_ok);
  record->set_skipped(skipped);
}

absl::Status SameMeasurement(const std::string& dir, const RunRecord& earlier, const RunRecord& now) {
  if (!earlier.finished_at().empty() && !earlier.interrupted()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, " holds a run that finished at ", earlier.finished_at(), "; runs are never overwritten"));
  }
  if (std::string d = MeasurementDifference(earlier, now); !d.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds a different measurement (", d,
        "); resume it with the same build, flags and device, or choose a new --out"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RunFolder>> RunFolder::Create(const std::string& dir, RunRecord header,
                                                             const RunFolderOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  for (const char* name : {"run_record.json", "results.jsonl"}) {
    if (std::filesystem::exists(absl::StrCat(dir, "/", name))) {
      return absl::AlreadyExistsError(absl::StrCat(
          dir, " already holds a run (", name, "); runs are never overwritten: choose a new --out"));
    }
  }
  if (options.releases) options.releases->MarkRun(&header);
  std::unique_ptr<RunFolder> folder(new RunFolder(dir, std::move(header), options));
  if (auto s = folder->WriteRecord(); !s.ok()) return s;
  return folder;
}

absl::StatusOr<std::unique_ptr<RunFolder>> RunFolder::Resume(const std::string& dir, RunRecord header,
                                                             const RunFolderOptions& options,
                                                             const ResumeCheck& may_resume) {
  const std::string record_path = dir + "/run_record.json";
  const std::string results_path = dir + "/results.jsonl";
  const std::string generations_path = dir + "/generations.jsonl";
  if (!IsRegularFile(record_path)) {
    if (IsRegularFile(results_path)) {
      return absl::FailedPreconditionError(absl::StrCat(dir, " holds results.jsonl but no run_record.json"));
    }
    return Create(dir, std::move(header), options);
  }
  auto text = ReadFile(record_path);
  if (!text.ok()) return text.status();
  RunRecord old;
  if (auto s = FromJson(*text, &old); !s.ok()) return absl::DataLossError(absl::StrCat(record_path, ": ", s.message()));
  if (options.releases) options.releases->MarkRun(&header);
  if (may_resume) {
    if (auto s = may_resume(old, header); !s.ok()) return s;
  }
  // Kept lines are written back byte for byte: a line serialised again could differ
  // (map order, say) from the one written, and committed, before.
  std::vector<std::string> result_lines, generation_lines;
  auto results = ReadJsonLines<EvaluationResult>(results_path, &result_lines);
  if (!results.ok()) return results.status();
  std::vector<TaskGeneration> generations;
  if (options.generations) {
    auto read = ReadJsonLines<TaskGeneration>(generations_path, &generation_lines);
    if (!read.ok()) return read.status();
    generations = *std::move(read);
  }

  RunRecord record = old;
  record.clear_results();
  record.clear_generations();
  record.set_finished_at("");
  record.set_interrupted(false);
  if (options.stamp_resumed_at) record.add_resumed_at(NowRfc3339());
  if (record.release().empty()) {
    record.set_release(header.release());
    record.set_release_manifest_hash(header.release_manifest_hash());
  }
  std::unique_ptr<RunFolder> folder(new RunFolder(dir, std::move(record), options));
  std::string kept_results, kept_generations;
  auto keep = [&](size_t result) {
    *folder->record_.add_results() = (*results)[result];
    absl::StrAppend(&kept_results, result_lines[result], "\n");
  };
  if (!options.generations) {
    for (size_t i = 0; i < results->size(); ++i) {
      if (folder->finished_.insert((*results)[i].task_id()).second) keep(i);
    }
  } else {
    // A task is finished when its generation line was written; its result is the last
    // one written for it.
    std::map<std::string, size_t> result_of;
    for (size_t i = 0; i < results->size(); ++i) result_of[(*results)[i].task_id()] = i;
    for (size_t j = 0; j < generations.size(); ++j) {
      const std::string& id = generations[j].task_id();
      auto it = result_of.find(id);
      if (it == result_of.end() || !folder->finished_.insert(id).second) continue;
      keep(it->second);
      *folder->record_.add_generations() = generations[j];
      absl::StrAppend(&kept_generations, generation_lines[j], "\n");
    }
  }
  folder->resumed_ = static_cast<int>(folder->finished_.size());
  // Rewritten to the finished tasks only (a torn last line, a result without its
  // generation, a second result of a task are gone).
  if (auto s = WriteFileAtomically(results_path, kept_results); !s.ok()) return s;
  if (options.generations) {
    if (auto s = WriteFileAtomically(generations_path, kept_generations); !s.ok()) return s;
  }
  if (auto s = folder->WriteRecord(); !s.ok()) return s;
  return folder;
}

absl::Status RunFolder::AppendResult(const EvaluationResult& measured) {
  EvaluationResult result = measured;
  if (options_.releases) options_.releases->MarkResult(&result);
  if (auto s = AppendLine(dir_ + "/results.jsonl", ToJson(result)); !s.ok()) return s;
  *record_.add_results() = std::move(result);
  CountResults(&record_);
  return absl::OkStatus();
}

absl::Status RunFolder::Append(const EvaluationResult& result) {
  if (auto s = AppendResult(result); !s.ok()) return s;
  finished_.insert(result.task_id());
  return absl::OkStatus();
}

absl::Status RunFolder::Append(const EvaluationResult& result, const TaskGeneration& generation) {
  if (auto s = AppendResult(result); !s.ok()) return s;
  if (auto s = AppendLine(dir_ + "/generations.jsonl", ToJson(generation)); !s.ok()) return s;
  *record_.add_generations() = generation;
  finished_.insert(result.task_id());
  return WriteRecord();
}

absl::Status RunFolder::Finish(bool interrupted) {
  record_.set_finished_at(NowRfc3339());
  record_.set_interrupted(interrupted);
  CountResults(&record_);
  if (options_.releases) options_.releases->ConfirmRun(&record_);
  return WriteRecord();
}

absl::Status RunFolder::WriteRecord() {
  return WriteFileAtomically(dir_ + "/run_record.json", ToJson(record_, /*pretty=*/true) + "\n");
}

}  // namespace tritonbench
