#include "leaderboard/run_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "common/json.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

absl::Status Invalid(const std::string& why) { return absl::InvalidArgumentError(why); }

// Protobuf's JSON errors end with a line that points at the column: keep the first.
std::string FirstLine(absl::string_view message) {
  return std::string(absl::StripAsciiWhitespace(message.substr(0, message.find('\n'))));
}

absl::Status CheckResultsJsonl(const std::string& path, const RunRecord& record) {
  auto text = ReadFile(path);
  if (!text.ok()) return Invalid(std::string(text.status().message()));
  std::map<std::string, const EvaluationResult*> recorded;
  for (const auto& r : record.results()) recorded[r.task_id()] = &r;
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    ++lines;
    EvaluationResult result;
    if (auto s = FromJson(std::string(line), &result); !s.ok()) {
      return Invalid(absl::StrCat("results.jsonl line ", lines, " is not an EvaluationResult: ", FirstLine(s.message())));
    }
    auto it = recorded.find(result.task_id());
    if (it == recorded.end()) {
      return Invalid(absl::StrCat("results.jsonl line ", lines, ": task_id '", result.task_id(),
                                  "' has no result in run_record.json"));
    }
    if (it->second->task_content_hash() != result.task_content_hash()) {
      return Invalid(absl::StrCat("results.jsonl line ", lines, ": task_content_hash of '", result.task_id(), "' is '",
                                  result.task_content_hash(), "', run_record.json's is '",
                                  it->second->task_content_hash(), "'"));
    }
  }
  if (lines != record.results_size()) {
    return Invalid(absl::StrCat("partial record: results.jsonl has ", lines, " results, run_record.json ",
                                record.results_size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RunRecord> LoadRunFolder(const std::string& dir) {
  auto json = ReadFile(dir + "/run_record.json");
  if (!json.ok()) return Invalid("no readable run_record.json");
  RunRecord record;
  if (auto s = FromJson(*json, &record); !s.ok()) {
    return Invalid(absl::StrCat("corrupt run_record.json: ", FirstLine(s.message())));
  }
  if (record.suite().empty()) return Invalid("corrupt run_record.json: suite: missing");
  if (record.suite_content_hash().empty()) return Invalid("corrupt run_record.json: suite_content_hash: missing");
  if (record.configuration().empty()) return Invalid("corrupt run_record.json: configuration: missing");
  if (record.finished_at().empty()) {
    return Invalid("partial record: run_record.json: finished_at: missing (the run never finished)");
  }
  if (record.interrupted()) return Invalid("partial record: run_record.json: interrupted: the run was interrupted");
  if (record.has_shard()) {
    return Invalid(absl::StrCat("a shard (", record.shard().index(), "/", record.shard().count(),
                                ") of a sharded run: counted only in the run tools/merge_runs makes of its shards"));
  }
  if (record.tasks_total() != record.results_size()) {
    return Invalid(absl::StrCat("partial record: run_record.json: tasks_total: ", record.tasks_total(), " but ",
                                record.results_size(), " results"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < record.results_size(); ++i) {
    const EvaluationResult& r = record.results(i);
    if (r.task_id().empty()) return Invalid(absl::StrCat("corrupt run_record.json: results[", i, "].task_id: missing"));
    if (!seen.insert(r.task_id()).second) {
      return Invalid(absl::StrCat("corrupt run_record.json: results[", i, "].task_id: '", r.task_id(),
                                  "' evaluated twice"));
    }
  }
  const std::string jsonl = dir + "/results.jsonl";
  if (IsRegularFile(jsonl)) {
    if (auto s = CheckResultsJsonl(jsonl, record); !s.ok()) return s;
  }
  return record;
}

absl::StatusOr<LoadedRuns> LoadRuns(const std::vector<std::string>& roots) {
  std::set<std::string> folders;
  std::set<std::string> orphans;  // results.jsonl without a run record
  for (const auto& root : roots) {
    if (!IsDirectory(root)) return absl::NotFoundError(absl::StrCat("no run folder ", root));
    const std::string base = std::string(absl::StripSuffix(root, "/"));
    auto visit = [&](const fs::path& file) {
      const std::string name = file.filename().string();
      const std::string folder = file.parent_path().string();
      if (name == "run_record.json") folders.insert(folder);
      if (name == "results.jsonl") orphans.insert(folder);
    };
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file()) visit(it->path());
    }
    if (ec) return absl::InternalError(absl::StrCat("cannot walk ", root, ": ", ec.message()));
  }
  LoadedRuns out;
  for (const auto& folder : orphans) {
    if (!folders.count(folder)) {
      SkippedRecord s;
      s.set_path(folder + "/results.jsonl");
      s.set_reason("partial record: results.jsonl without run_record.json");
      out.skipped.push_back(s);
    }
  }
  std::map<std::string, std::string> run_ids;  // run_id -> folder
  for (const auto& folder : folders) {
    auto record = LoadRunFolder(folder);
    SkippedRecord skip;
    skip.set_path(folder + "/run_record.json");
    if (!record.ok()) {
      skip.set_reason(std::string(record.status().message()));
      out.skipped.push_back(skip);
      continue;
    }
    if (!record->run_id().empty()) {
      auto [it, inserted] = run_ids.emplace(record->run_id(), folder);
      if (!inserted) {
        skip.set_reason(absl::StrCat("duplicate: run_id ", record->run_id(), " already loaded from ", it->second));
        out.skipped.push_back(skip);
        continue;
      }
    }
    out.runs.push_back({folder, *std::move(record)});
  }
  std::sort(out.skipped.begin(), out.skipped.end(),
            [](const SkippedRecord& a, const SkippedRecord& b) { return a.path() < b.path(); });
  return out;
}

}  // namespace tritonbench
