#include "harness/run_record_writer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "harness/evaluator.h"
#include "harness/files.h"

namespace tritonbench {

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
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

absl::StatusOr<std::unique_ptr<RunRecordWriter>> RunRecordWriter::Open(const std::string& dir,
                                                                       RunRecord header) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  for (const char* name : {"run_record.json", "results.jsonl"}) {
    if (std::filesystem::exists(absl::StrCat(dir, "/", name))) {
      return absl::AlreadyExistsError(absl::StrCat(
          dir, " already holds a run (", name, "); runs are never overwritten: choose a new --out"));
    }
  }
  std::unique_ptr<RunRecordWriter> writer(new RunRecordWriter(dir, std::move(header)));
  if (auto s = writer->WriteRecord(); !s.ok()) return s;
  return writer;
}

absl::Status RunRecordWriter::Append(const EvaluationResult& result) {
  *record_.add_results() = result;
  const std::string path = dir_ + "/results.jsonl";
  std::ofstream out(path, std::ios::app);
  out << ToJson(result) << "\n";
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("cannot append to ", path));
  return absl::OkStatus();
}

absl::Status RunRecordWriter::Finish(bool interrupted) {
  record_.set_finished_at(NowRfc3339());
  record_.set_interrupted(interrupted);
  CountResults(&record_);
  return WriteRecord();
}

absl::Status RunRecordWriter::WriteRecord() {
  const std::string path = dir_ + "/run_record.json";
  const std::string tmp = path + ".tmp";
  if (auto s = WriteFile(tmp, ToJson(record_, /*pretty=*/true) + "\n"); !s.ok()) return s;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace tritonbench
