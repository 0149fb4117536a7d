#include "harness/run_record_writer.h"

#include <filesystem>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "common/json.h"
#include "harness/evaluator.h"

namespace tritonbench {

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

absl::StatusOr<std::unique_ptr<RunRecordWriter>> RunRecordWriter::Open(const std::string& dir, RunRecord header,
                                                                       const RunReleases* releases) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  for (const char* name : {"run_record.json", "results.jsonl"}) {
    if (std::filesystem::exists(absl::StrCat(dir, "/", name))) {
      return absl::AlreadyExistsError(absl::StrCat(
          dir, " already holds a run (", name, "); runs are never overwritten: choose a new --out"));
    }
  }
  if (releases) releases->MarkRun(&header);
  std::unique_ptr<RunRecordWriter> writer(new RunRecordWriter(dir, std::move(header), releases));
  if (auto s = writer->WriteRecord(); !s.ok()) return s;
  return writer;
}

namespace {

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

absl::StatusOr<std::unique_ptr<RunRecordWriter>> RunRecordWriter::Resume(const std::string& dir, RunRecord header,
                                                                         const RunReleases* releases) {
  const std::string record_path = dir + "/run_record.json";
  if (!IsRegularFile(record_path)) {
    if (IsRegularFile(dir + "/results.jsonl")) {
      return absl::FailedPreconditionError(absl::StrCat(dir, " holds results.jsonl but no run_record.json"));
    }
    return Open(dir, std::move(header), releases);
  }
  auto text = ReadFile(record_path);
  if (!text.ok()) return text.status();
  RunRecord old;
  if (auto s = FromJson(*text, &old); !s.ok()) return absl::DataLossError(absl::StrCat(record_path, ": ", s.message()));
  if (releases) releases->MarkRun(&header);
  if (!old.finished_at().empty() && !old.interrupted()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, " holds a run that finished at ", old.finished_at(), "; runs are never overwritten"));
  }
  if (std::string d = MeasurementDifference(old, header); !d.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds a different measurement (", d, "); resume it with the same build, flags and device, or choose a new --out"));
  }
  const std::string results_path = dir + "/results.jsonl";
  // The kept lines are written back byte for byte (a re-serialised line would differ,
  // e.g. in map order, from the one committed).
  std::vector<std::string> lines;
  auto results = ReadJsonLines<EvaluationResult>(results_path, &lines);
  if (!results.ok()) return results.status();

  RunRecord record = old;
  record.clear_results();
  record.set_finished_at("");
  record.set_interrupted(false);
  record.add_resumed_at(NowRfc3339());
  if (record.release().empty()) {
    record.set_release(header.release());
    record.set_release_manifest_hash(header.release_manifest_hash());
  }
  std::unique_ptr<RunRecordWriter> writer(new RunRecordWriter(dir, std::move(record), releases));
  std::string kept;
  for (size_t i = 0; i < results->size(); ++i) {
    const EvaluationResult& r = (*results)[i];
    if (!writer->finished_.insert(r.task_id()).second) continue;
    *writer->record_.add_results() = r;
    absl::StrAppend(&kept, lines[i], "\n");
  }
  writer->resumed_ = writer->record_.results_size();
  // Rewritten to the kept results only (a torn last line is gone).
  if (auto s = WriteFileAtomically(dir + "/results.jsonl", kept); !s.ok()) return s;
  if (auto s = writer->WriteRecord(); !s.ok()) return s;
  return writer;
}

absl::Status RunRecordWriter::Append(const EvaluationResult& result) {
  EvaluationResult* kept = record_.add_results();
  *kept = result;
  if (releases_) releases_->MarkResult(kept);
  finished_.insert(result.task_id());
  const std::string path = dir_ + "/results.jsonl";
  std::ofstream out(path, std::ios::app);
  out << ToJson(*kept) << "\n";
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("cannot append to ", path));
  return absl::OkStatus();
}

absl::Status RunRecordWriter::Finish(bool interrupted) {
  record_.set_finished_at(NowRfc3339());
  record_.set_interrupted(interrupted);
  CountResults(&record_);
  if (releases_) releases_->ConfirmRun(&record_);
  return WriteRecord();
}

absl::Status RunRecordWriter::WriteRecord() {
  return WriteFileAtomically(dir_ + "/run_record.json", ToJson(record_, /*pretty=*/true) + "\n");
}

}  // namespace tritonbench
