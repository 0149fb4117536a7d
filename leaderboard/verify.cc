#include "leaderboard/verify.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/candidate_evaluator.h"
#include "agent/configuration.h"
#include "agent/configuration_runner.h"
#include "agent/llm/provider_factory.h"
#include "agent/proto/llm.pb.h"
#include "common/files.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/run_folder.h"
#include "google/protobuf/util/message_differencer.h"
#include "harness/evaluator.h"
#include "harness/release.h"
#include "harness/scratch.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

// The checks --checks may choose; the schema check always runs (it reads the folder).
constexpr const char* kCheckNames[] = {"release", "transcripts", "rejudge"};

std::string Short(const std::string& hash) { return hash.substr(0, 12); }

const char* Bool(bool b) { return b ? "true" : "false"; }

// A run folder as read: the record and the lines of its JSON-lines files.
struct RunData {
  std::string dir;
  RunRecord record;
  std::vector<EvaluationResult> results;
  std::vector<int> result_lines;  // 1-based line of each result in results.jsonl
  std::vector<TaskGeneration> generations;
  // An LLM configuration's run (a model, generations): candidates/ and transcripts/.
  bool llm = false;
};

// "results.jsonl:3 (task gemm)": where a result came from.
std::string Where(const RunData& run, size_t i) {
  return absl::StrCat("results.jsonl:", run.result_lines[i], " (task ", run.results[i].task_id(), ")");
}

// Every line of a JSON-lines file as a message; each line that does not parse is a
// problem naming the file and line.
template <typename Message>
void ReadLines(const std::string& dir, const std::string& name, std::vector<Message>* out, std::vector<int>* lines,
               std::vector<std::string>* problems) {
  const std::string path = absl::StrCat(dir, "/", name);
  if (!IsRegularFile(path)) {
    problems->push_back(absl::StrCat(name, ": missing"));
    return;
  }
  auto text = ReadFile(path);
  if (!text.ok()) {
    problems->push_back(absl::StrCat(name, ": ", text.status().message()));
    return;
  }
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    if (line.empty()) continue;
    Message m;
    if (auto s = FromJson(std::string(line), &m); !s.ok()) {
      problems->push_back(absl::StrCat(name, ":", number, ": does not parse: ", s.message()));
      continue;
    }
    out->push_back(std::move(m));
    if (lines) lines->push_back(number);
  }
  if (!text->empty() && text->back() != '\n') problems->push_back(absl::StrCat(name, ": the last line is cut short"));
}

// The first difference between two messages, as "field: a -> b".
std::string FirstDifference(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  std::string report;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&report);
  if (differ.Compare(a, b)) return "";
  std::string first = report.substr(0, report.find('\n'));
  if (first.size() > 200) first = first.substr(0, 200) + "...";
  return first;
}

CheckResult Fail(CheckResult check, const std::string& problem) {
  check.state = CheckState::kFailed;
  check.details.push_back(absl::StrCat("FAILED ", problem));
  return check;
}

// Reads the folder; `readable` says whether the later checks can run on it.
CheckResult CheckSchema(const std::string& dir, RunData* run, bool* readable) {
  CheckResult check;
  check.name = "schema";
  check.summary = "run_record.json and results.jsonl parse and agree";
  *readable = false;
  run->dir = dir;
  const std::string record_path = dir + "/run_record.json";
  if (!IsDirectory(dir)) return Fail(check, absl::StrCat(dir, ": not a folder"));
  if (!IsRegularFile(record_path)) return Fail(check, "run_record.json: missing");
  auto text = ReadFile(record_path);
  if (!text.ok()) return Fail(check, absl::StrCat("run_record.json: ", text.status().message()));
  if (auto s = FromJson(*text, &run->record); !s.ok()) {
    return Fail(check, absl::StrCat("run_record.json: does not parse as a RunRecord: ", s.message()));
  }
  const RunRecord& record = run->record;
  run->llm = record.generations_size() > 0 || !record.model().name().empty();
  std::vector<std::string> problems;
  ReadLines(dir, "results.jsonl", &run->results, &run->result_lines, &problems);
  if (run->llm) ReadLines<TaskGeneration>(dir, "generations.jsonl", &run->generations, nullptr, &problems);
  *readable = problems.empty();

  if (record.suite().empty()) problems.push_back("run_record.json: suite: missing");
  if (record.configuration().empty()) problems.push_back("run_record.json: configuration: missing");
  if (record.finished_at().empty()) {
    problems.push_back("run_record.json: finished_at: missing (the run never finished)");
  }
  if (record.interrupted()) problems.push_back("run_record.json: interrupted: true (a partial run)");

  std::map<std::string, int> in_record;
  for (int i = 0; i < record.results_size(); ++i) {
    if (!in_record.emplace(record.results(i).task_id(), i).second) {
      problems.push_back(absl::StrCat("run_record.json: results[", i, "].task_id: '", record.results(i).task_id(),
                                      "' appears twice"));
    }
  }
  std::set<std::string> in_lines;
  for (size_t i = 0; i < run->results.size(); ++i) {
    const EvaluationResult& r = run->results[i];
    if (!in_lines.insert(r.task_id()).second) {
      problems.push_back(absl::StrCat(Where(*run, i), ": task_id: appears twice"));
      continue;
    }
    auto it = in_record.find(r.task_id());
    if (it == in_record.end()) {
      problems.push_back(absl::StrCat(Where(*run, i), ": not in run_record.json results"));
      continue;
    }
    if (std::string d = FirstDifference(record.results(it->second), r); !d.empty()) {
      problems.push_back(
          absl::StrCat(Where(*run, i), ": differs from run_record.json results[", it->second, "]: ", d));
    }
  }
  for (const auto& [id, i] : in_record) {
    if (!in_lines.count(id)) {
      problems.push_back(absl::StrCat("run_record.json: results[", i, "] (task ", id, "): not in results.jsonl"));
    }
  }
  RunRecord counted = record;
  CountResults(&counted);
  for (const auto& [field, recorded, counted_value] :
       std::vector<std::tuple<std::string, int, int>>{{"tasks_total", record.tasks_total(), counted.tasks_total()},
                                                      {"call_ok", record.call_ok(), counted.call_ok()},
                                                      {"execution_ok", record.execution_ok(), counted.execution_ok()},
                                                      {"skipped", record.skipped(), counted.skipped()}}) {
    if (recorded != counted_value) {
      problems.push_back(absl::StrCat("run_record.json: ", field, ": ", recorded, ", but its results count ",
                                      counted_value));
    }
  }
  if (run->llm) {
    std::map<std::string, const TaskGeneration*> generated;
    for (const auto& g : run->generations) {
      if (!generated.emplace(g.task_id(), &g).second) {
        problems.push_back(absl::StrCat("generations.jsonl: task_id: '", g.task_id(), "' appears twice"));
      }
    }
    std::map<std::string, const TaskGeneration*> recorded_generations;
    for (const auto& g : record.generations()) recorded_generations[g.task_id()] = &g;
    for (const auto& id : in_lines) {
      auto line = generated.find(id);
      auto kept = recorded_generations.find(id);
      if (line == generated.end()) {
        problems.push_back(absl::StrCat("generations.jsonl: task ", id, ": missing"));
      } else if (kept == recorded_generations.end()) {
        problems.push_back(absl::StrCat("run_record.json: generations (task ", id, "): missing"));
      } else if (std::string d = FirstDifference(*kept->second, *line->second); !d.empty()) {
        problems.push_back(
            absl::StrCat("generations.jsonl (task ", id, "): differs from run_record.json generations: ", d));
      }
    }
    if (generated.size() != in_lines.size() && problems.empty()) {
      problems.push_back(absl::StrCat("generations.jsonl: ", generated.size(), " generations for ", in_lines.size(),
                                      " results"));
    }
  }
  check.summary = absl::StrCat("run_record.json, results.jsonl", run->llm ? ", generations.jsonl" : "",
                               " parse and agree: ", run->results.size(), " results, call_ok ", record.call_ok(),
                               ", execution_ok ", record.execution_ok(), ", skipped ", record.skipped());
  for (const auto& p : problems) check = Fail(check, p);
  return check;
}

// The release the run measured, and the tree's copies of its tasks.
CheckResult CheckRelease(const RunData& run, const VerifyOptions& options) {
  CheckResult check;
  check.name = "release";
  const RunRecord& record = run.record;
  const std::string suite_dir = absl::StrCat(options.suites_dir, "/", record.suite());
  check.summary = absl::StrCat("the record's release in ", suite_dir, "/", kReleasesFile,
                               ", each result's task_content_hash and the tree's task folders");
  if (record.suite().empty() || !IsDirectory(suite_dir)) {
    return Fail(check, absl::StrCat("run_record.json: suite: '", record.suite(), "' has no folder ", suite_dir));
  }
  auto manifest = LoadReleases(suite_dir);
  if (!manifest.ok()) return Fail(check, std::string(manifest.status().message()));
  const std::string manifest_path = absl::StrCat(suite_dir, "/", kReleasesFile);

  std::map<std::string, std::string> measured;
  for (size_t i = 0; i < run.results.size(); ++i) {
    const EvaluationResult& r = run.results[i];
    if (r.task_content_hash().empty()) {
      check = Fail(check, absl::StrCat(Where(run, i),
                                       ": task_content_hash: missing (a record older than harness 0.7.0 names "
                                       "no task content, so no release)"));
    }
    measured[r.task_id()] = r.task_content_hash();
  }
  if (check.state == CheckState::kFailed) return check;

  const Release* found = nullptr;
  std::string how;
  if (record.release().empty()) {
    found = ReleaseOfTasks(*manifest, measured);
    if (found == nullptr) {
      std::string which;
      if (manifest->releases_size() > 0) {
        const Release& newest = manifest->releases(manifest->releases_size() - 1);
        std::map<std::string, std::string> listed;
        for (const auto& t : newest.tasks()) listed[t.id()] = t.content_hash();
        std::vector<std::string> differ;
        for (const auto& [id, hash] : measured) {
          auto it = listed.find(id);
          if (it == listed.end() || it->second != hash) differ.push_back(id);
        }
        if (differ.size() > 10) {
          differ.resize(10);
          differ.push_back("...");
        }
        which = absl::StrCat("; against the newest, ", newest.name(), ": ", absl::StrJoin(differ, ", "));
      }
      return Fail(check, absl::StrCat("results.jsonl: task_content_hash: the results match no release in ",
                                      manifest_path, " (the record predates its release field)", which));
    }
    how = ", derived from the results' task_content_hash (the record predates its release field)";
  } else if (record.release() == kUnreleased) {
    return Fail(check, absl::StrCat("run_record.json: release: '", kUnreleased, "': the tasks it measured match no ",
                                    "release of ", suite_dir));
  } else {
    for (const auto& r : manifest->releases()) {
      if (r.name() == record.release()) found = &r;
    }
    if (found == nullptr) {
      return Fail(check, absl::StrCat("run_record.json: release: '", record.release(), "' is not a release in ",
                                      manifest_path));
    }
    if (record.release_manifest_hash() != found->manifest_hash()) {
      check = Fail(check, absl::StrCat("run_record.json: release_manifest_hash: '", record.release_manifest_hash(),
                                       "' is not release ", found->name(), "'s '", found->manifest_hash(), "'"));
    }
  }
  std::map<std::string, std::string> listed;
  for (const auto& t : found->tasks()) listed[t.id()] = t.content_hash();
  for (size_t i = 0; i < run.results.size(); ++i) {
    const EvaluationResult& r = run.results[i];
    auto it = listed.find(r.task_id());
    if (it == listed.end()) {
      check = Fail(check, absl::StrCat(Where(run, i), ": task_id: not a task of release ", found->name()));
      continue;
    }
    if (r.task_content_hash() != it->second) {
      check = Fail(check, absl::StrCat(Where(run, i), ": task_content_hash: '", r.task_content_hash(),
                                       "' is not release ", found->name(), "'s '", it->second, "'"));
    }
    if (!r.release().empty() && r.release() != found->name()) {
      check = Fail(check, absl::StrCat(Where(run, i), ": release: '", r.release(), "', the run is of release '",
                                       found->name(), "'"));
    }
    const std::string task_dir = absl::StrCat(suite_dir, "/", r.task_id());
    if (!IsDirectory(task_dir)) {
      check = Fail(check, absl::StrCat(task_dir, ": missing in the tree, so it cannot be re-judged"));
      continue;
    }
    auto tree_hash = ContentHash({task_dir});
    if (!tree_hash.ok()) {
      check = Fail(check, std::string(tree_hash.status().message()));
    } else if (*tree_hash != it->second) {
      check = Fail(check, absl::StrCat(task_dir, ": the tree's task (", Short(*tree_hash), ") is not release ",
                                       found->name(), "'s (", Short(it->second),
                                       "): re-judging would not judge what was measured"));
    }
  }
  check.summary = absl::StrCat("release ", found->name(), " of ", suite_dir, " (manifest ",
                               Short(found->manifest_hash()), how, "): each of the ", run.results.size(),
                               " results' task_content_hash and the tree's task folder equal the release's");
  return check;
}

// The run's tasks that the replay and the re-judge cover: --tasks, then --max_tasks,
// in id order. Indexes into run.results.
absl::StatusOr<std::vector<size_t>> Selected(const RunData& run, const VerifyOptions& options) {
  std::map<std::string, size_t> by_id;
  for (size_t i = 0; i < run.results.size(); ++i) by_id[run.results[i].task_id()] = i;
  std::vector<size_t> out;
  if (options.tasks.empty()) {
    for (const auto& [id, i] : by_id) out.push_back(i);
  } else {
    std::set<std::string> wanted(options.tasks.begin(), options.tasks.end());
    for (const auto& id : wanted) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        return absl::InvalidArgumentError(absl::StrCat("--tasks: '", id, "' is not a task of ", run.dir));
      }
      out.push_back(it->second);
    }
  }
  if (options.max_tasks > 0 && static_cast<int>(out.size()) > options.max_tasks) out.resize(options.max_tasks);
  return out;
}

// The evaluation settings of the record, for this machine.
EvaluationSettings RejudgeSettings(const RunRecord& record, const VerifyOptions& options) {
  EvaluationSettings s = record.has_settings() ? record.settings() : DefaultSettings();
  if (s.timeout_seconds() <= 0) s.set_timeout_seconds(DefaultSettings().timeout_seconds());
  if (s.memory_limit_mb() <= 0) s.set_memory_limit_mb(DefaultSettings().memory_limit_mb());
  if (s.output_limit_bytes() <= 0) s.set_output_limit_bytes(DefaultSettings().output_limit_bytes());
  s.set_device(options.device);
  if (options.timeout_s > 0) s.set_timeout_seconds(options.timeout_s);
  if (options.memory_mb > 0) s.set_memory_limit_mb(options.memory_mb);
  // Paths of the machine that ran, and what is measured beside the kernel.
  s.clear_trusted_triton_cache_dir();
  s.clear_gpu_lock_path();
  s.clear_baselines();
  s.set_time_reference(false);
  s.set_check_baseline(false);
  return s;
}

// The candidate files (kernels and raw answers) the run kept for a task, by name.
std::map<std::string, std::string> KeptFiles(const std::string& dir, std::vector<std::string>* problems) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !(absl::EndsWith(name, ".py") || absl::EndsWith(name, ".answer.txt"))) continue;
    auto bytes = ReadFile(e.path().string());
    if (!bytes.ok()) {
      problems->push_back(std::string(bytes.status().message()));
      continue;
    }
    files[name] = *std::move(bytes);
  }
  return files;
}

// LLM calls of a replayed task that the transcripts did not answer, with their errors.
std::vector<std::string> CallErrors(const std::string& task_dir) {
  std::vector<std::string> errors;
  std::vector<std::string> unused;
  std::vector<CallRecord> calls;
  ReadLines<CallRecord>(task_dir, "llm_calls.jsonl", &calls, nullptr, &unused);
  for (const auto& c : calls) {
    if (!c.error().empty()) errors.push_back(c.error());
  }
  return errors;
}

// The configuration that produced the run, as it ran: found by name under
// <root>/agent/configs, with the record's model.
absl::StatusOr<std::pair<Configuration, std::string>> RunConfiguration(const RunRecord& record,
                                                                       const VerifyOptions& options) {
  const std::string configs = options.root.empty() ? "agent/configs" : options.root + "/agent/configs";
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(configs, ec)) {
    if (absl::EndsWith(e.path().string(), ".textproto")) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    auto config = LoadConfiguration(path);
    if (!config.ok() || config->name() != record.configuration()) continue;
    if (!record.model().provider().empty()) config->mutable_model()->set_provider(record.model().provider());
    if (!record.model().name().empty()) config->mutable_model()->set_name(record.model().name());
    if (SamplingText(config->model()) != record.model().sampling()) {
      return absl::FailedPreconditionError(absl::StrCat("run_record.json: model.sampling: '", record.model().sampling(),
                                                        "', but ", path, " samples with '",
                                                        SamplingText(config->model()), "'"));
    }
    return std::make_pair(*std::move(config), path);
  }
  return absl::NotFoundError(absl::StrCat("run_record.json: configuration: '", record.configuration(),
                                          "' is not the name of a configuration under ", configs));
}

struct Machine {
  EvaluatorOptions options;
  Environment environment;
  bool timed = false;
};

CheckResult CheckTranscripts(const RunData& run, const std::vector<size_t>& selected, const VerifyOptions& options,
                             const Machine& machine, const std::string& tmp) {
  CheckResult check;
  check.name = "transcripts";
  check.summary = "replaying transcripts/ reproduces candidates/<task>/ byte for byte";
  if (!run.llm) {
    check.state = CheckState::kNotApplicable;
    check.summary = "not an LLM run (no model, no generations): nothing to replay";
    return check;
  }
  const std::string transcripts = run.dir + "/transcripts";
  std::vector<std::pair<int, std::string>> sessions;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(transcripts, ec)) {
    int n = 0;
    const std::string name = e.path().filename().string();
    if (e.is_directory() && absl::StartsWith(name, "session-") && absl::SimpleAtoi(name.substr(8), &n)) {
      sessions.emplace_back(n, e.path().string());
    }
  }
  if (sessions.empty()) {
    return Fail(check, "transcripts/: missing or empty: an LLM run carries every call it made (session-<n>/)");
  }
  // The newest session first: a task cut short in one session was done again in the next.
  std::sort(sessions.rbegin(), sessions.rend());
  auto config = RunConfiguration(run.record, options);
  if (!config.ok()) return Fail(check, std::string(config.status().message()));
  HarnessCandidateEvaluator evaluator(machine.options, machine.timed, config->first.evaluation_concurrency());

  const std::string suite_dir = absl::StrCat(options.suites_dir, "/", run.record.suite());
  int reproduced = 0;
  for (size_t i : selected) {
    const EvaluationResult& result = run.results[i];
    const std::string id = result.task_id();
    auto task = LoadTask(absl::StrCat(suite_dir, "/", id));
    if (!task.ok()) {
      check = Fail(check, std::string(task.status().message()));
      continue;
    }
    std::vector<std::string> problems;
    const std::string kept_dir = absl::StrCat(run.dir, "/candidates/", id);
    const auto kept = KeptFiles(kept_dir, &problems);
    const size_t recorded_errors = CallErrors(kept_dir).size();
    std::string replay_dir, used_session;
    std::optional<RunRecord> replayed;
    std::vector<std::string> misses;
    for (const auto& [n, session] : sessions) {
      ProviderConfig pc;
      pc.provider = config->first.model().provider();
      pc.replay_dir = session;
      auto provider = CreateProvider(pc);
      if (!provider.ok()) continue;
      auto runner = ConfigurationRunner::Create(config->first, options.root, provider->get(), std::nullopt,
                                                /*replayed=*/true, &evaluator);
      if (!runner.ok()) {
        problems.push_back(std::string(runner.status().message()));
        break;
      }
      const std::string out = absl::StrCat(tmp, "/replay-", id, "-session-", n);
      RunRecord header;
      header.set_suite(run.record.suite());
      auto record = (*runner)->Run({*task}, out, header, nullptr, nullptr);
      if (!record.ok()) {
        problems.push_back(absl::StrCat("transcripts/session-", n, ": the replay of task ", id,
                                        " failed: ", record.status().message()));
        break;
      }
      auto errors = CallErrors(absl::StrCat(out, "/candidates/", id));
      if (errors.size() > recorded_errors) {
        misses.push_back(absl::StrCat("session-", n, ": ", errors.front()));
        continue;
      }
      replay_dir = absl::StrCat(out, "/candidates/", id);
      used_session = absl::StrCat("session-", n);
      replayed = *std::move(record);
      break;
    }
    if (!replayed && problems.empty()) {
      problems.push_back(absl::StrCat("transcripts/: no session answers every call of task ", id, " (",
                                      absl::StrJoin(misses, "; "), ")"));
    }
    if (replayed) {
      const auto again = KeptFiles(replay_dir, &problems);
      for (const auto& [name, bytes] : kept) {
        auto it = again.find(name);
        if (it == again.end()) {
          problems.push_back(absl::StrCat("candidates/", id, "/", name, ": the replay (", used_session,
                                          ") did not write it"));
        } else if (it->second != bytes) {
          size_t at = 0;
          while (at < bytes.size() && at < it->second.size() && bytes[at] == it->second[at]) ++at;
          problems.push_back(absl::StrCat("candidates/", id, "/", name, ": differs from its replay (", used_session,
                                          ") from byte ", at));
        }
      }
      for (const auto& [name, bytes] : again) {
        if (!kept.count(name)) {
          problems.push_back(absl::StrCat("candidates/", id, "/", name, ": missing; the replay (", used_session,
                                          ") wrote it"));
        }
      }
      if (replayed->results_size() == 1 &&
          BaseName(replayed->results(0).candidate_path()) != BaseName(result.candidate_path())) {
        problems.push_back(absl::StrCat(Where(run, i), ": candidate_path: the record keeps ",
                                        BaseName(result.candidate_path()), ", the replay ",
                                        BaseName(replayed->results(0).candidate_path())));
      }
    }
    if (problems.empty()) {
      ++reproduced;
      check.details.push_back(absl::StrCat(id, ": ", kept.size(), " file(s) of candidates/", id,
                                           "/ reproduced byte for byte (transcripts/", used_session, ")"));
    }
    for (const auto& p : problems) check = Fail(check, p);
  }
  check.summary = absl::StrCat("replayed ", selected.size(), " of ", run.results.size(), " tasks with ",
                               config->second, " (model ", run.record.model().name(), "), no network: ", reproduced,
                               " reproduced every kept candidate and answer byte for byte");
  if (run.record.environment().backend() != machine.environment.backend()) {
    absl::StrAppend(&check.summary, " (recorded on ", run.record.environment().backend(), ", replayed on ",
                    machine.environment.backend(), ": an agent whose steps depend on timing may diverge)");
  }
  return check;
}

// Where the kept kernel of result `i` is: the task's kernel.py for the ground truth,
// candidates/<task>/<file> for LLM runs, the recorded path for a candidate file; ""
// with a note in `why` when there is none to re-judge.
std::string KeptKernel(const RunData& run, size_t i, const std::string& suite_dir, std::string* why) {
  const EvaluationResult& r = run.results[i];
  if (run.record.configuration() == "ground_truth") return absl::StrCat(suite_dir, "/", r.task_id(), "/kernel.py");
  if (absl::StartsWith(r.candidate_path(), "baseline:")) {
    *why = absl::StrCat("a PyTorch baseline's row (", r.candidate_path(),
                        "): no kernel to re-judge; re-measure with evaluate --baselines");
    return "";
  }
  if (run.llm) {
    if (r.candidate_sha256().empty() && r.failure_kind() == SYNTAX_ERROR) {
      *why = "no kernel was extracted from the answer: nothing to re-judge";
      return "";
    }
    return absl::StrCat(run.dir, "/candidates/", r.task_id(), "/", BaseName(r.candidate_path()));
  }
  // A candidate file: where it was, else submitted beside the record.
  if (IsRegularFile(r.candidate_path())) return r.candidate_path();
  return absl::StrCat(run.dir, "/", BaseName(r.candidate_path()));
}

std::string VerdictOf(bool call_ok, bool execution_ok, FailureKind kind) {
  if (execution_ok) return "PASS";
  return absl::StrCat("FAIL (", FailureKind_Name(kind), call_ok ? ", ran" : "", ")");
}

CheckResult CheckRejudge(const RunData& run, const std::vector<size_t>& selected, const VerifyOptions& options,
                         const Machine& machine) {
  CheckResult check;
  check.name = "re-judge";
  const RunRecord& record = run.record;
  const std::string suite_dir = absl::StrCat(options.suites_dir, "/", record.suite());
  const bool same_gpu = machine.timed && record.environment().backend() != "cpu-interpreter" &&
                        record.environment().device_name() == machine.environment.device_name();
  Evaluator evaluator(machine.options);
  std::vector<std::vector<std::string>> lines(selected.size());
  std::vector<int> judged(selected.size(), 0);
  ParallelFor(static_cast<int>(selected.size()), machine.timed ? 1 : std::max(1, options.jobs), [&](int k) {
    const size_t i = selected[k];
    const EvaluationResult& recorded = run.results[i];
    const std::string id = recorded.task_id();
    std::vector<std::string>& out = lines[k];
    std::string why;
    const std::string kernel = KeptKernel(run, i, suite_dir, &why);
    if (kernel.empty()) {
      out.push_back(absl::StrCat(id, ": not judged: ", why));
      return;
    }
    std::string shown = kernel;
    if (absl::StartsWith(kernel, run.dir + "/")) shown = kernel.substr(run.dir.size() + 1);
    if (!IsRegularFile(kernel)) {
      out.push_back(absl::StrCat("FAILED ", shown, ": missing (", Where(run, i), " candidate_path: ",
                                 recorded.candidate_path(), ")"));
      return;
    }
    auto sha = FileSha256(kernel);
    if (!sha.ok() || (!recorded.candidate_sha256().empty() && *sha != recorded.candidate_sha256())) {
      out.push_back(absl::StrCat("FAILED ", shown, ": sha256 '", sha.ok() ? *sha : "unreadable", "' is not ",
                                 Where(run, i), " candidate_sha256 '", recorded.candidate_sha256(), "'"));
      return;
    }
    auto task = LoadTask(absl::StrCat(suite_dir, "/", id));
    if (!task.ok()) {
      out.push_back(absl::StrCat("FAILED ", task.status().message()));
      return;
    }
    auto now = evaluator.Evaluate(*task, kernel);
    if (!now.ok()) {
      out.push_back(absl::StrCat("FAILED ", id, ": could not be evaluated here: ", now.status().message()));
      return;
    }
    const std::string was = VerdictOf(recorded.call_ok(), recorded.execution_ok(), recorded.failure_kind());
    const std::string is = VerdictOf(now->call_ok(), now->execution_ok(), now->failure_kind());
    if (now->failure_kind() == UNSUPPORTED && recorded.failure_kind() != UNSUPPORTED) {
      out.push_back(absl::StrCat(id, ": not judged: this device lacks a feature the task needs (", now->message(),
                                 "); recorded ", was));
      return;
    }
    judged[k] = 1;
    std::vector<std::string> differences;
    if (now->call_ok() != recorded.call_ok()) {
      differences.push_back(
          absl::StrCat("call_ok: recorded ", Bool(recorded.call_ok()), ", re-judged ", Bool(now->call_ok())));
    }
    if (now->execution_ok() != recorded.execution_ok()) {
      differences.push_back(
          absl::StrCat("execution_ok: recorded ", Bool(recorded.execution_ok()), ", re-judged ",
                       Bool(now->execution_ok())));
    }
    if (now->failure_kind() != recorded.failure_kind() ||
        (recorded.failure_kind() == REJECTED_BY_CHECK && now->check() != recorded.check())) {
      differences.push_back(absl::StrCat("failure_kind: recorded ", FailureKind_Name(recorded.failure_kind()),
                                         recorded.check().empty() ? "" : absl::StrCat("(", recorded.check(), ")"),
                                         ", re-judged ", FailureKind_Name(now->failure_kind()),
                                         now->check().empty() ? "" : absl::StrCat("(", now->check(), ")")));
    }
    std::string speed;
    if (same_gpu && recorded.timing_available() && recorded.execution_ok()) {
      std::string expected;
      if (!SpeedupAgrees(recorded, *now, options.speedup_tolerance, &expected)) {
        differences.push_back(absl::StrCat("speedup: re-judged ",
                                           now->timing_available() ? absl::StrCat(now->speedup()) : "untimed",
                                           ", outside the recorded ", expected));
      } else {
        speed = absl::StrCat(", speedup ", now->speedup(), " within ", expected);
      }
    }
    if (differences.empty()) {
      out.push_back(absl::StrCat(id, ": ", is, " as recorded", speed));
    } else {
      out.push_back(absl::StrCat("FAILED ", Where(run, i), ": ", absl::StrJoin(differences, "; "), " (",
                                 shown, now->message().empty() ? "" : absl::StrCat(": ", now->message().substr(0, 160)),
                                 ")"));
    }
  });
  int count = 0;
  for (size_t k = 0; k < selected.size(); ++k) {
    count += judged[k];
    for (const auto& line : lines[k]) {
      check.details.push_back(line);
      if (absl::StartsWith(line, "FAILED ")) check.state = CheckState::kFailed;
    }
  }
  if (count == 0 && check.state != CheckState::kFailed) check.state = CheckState::kNotApplicable;
  const Environment& here = machine.environment;
  check.summary = absl::StrCat(count, " of ", run.results.size(), " kept kernels evaluated again on ",
                               here.device_name(), " (", here.backend(), "): correctness verdict (call_ok, ",
                               "execution_ok, failure_kind) compared");
  if (same_gpu) {
    absl::StrAppend(&check.summary, ", and the speedup against the recorded interval (or +/- ",
                    options.speedup_tolerance * 100, "%)");
  } else {
    absl::StrAppend(&check.summary, "; speedup not compared (recorded on ", record.environment().device_name(), ", ",
                    record.environment().backend(), ")");
  }
  return check;
}

bool Wanted(const VerifyOptions& options, const std::string& name) {
  return options.checks.empty() ||
         std::find(options.checks.begin(), options.checks.end(), name) != options.checks.end();
}

CheckResult NotRun(const std::string& name, const std::string& why, CheckState state = CheckState::kSkipped) {
  CheckResult c;
  c.name = name;
  c.state = state;
  c.summary = why;
  return c;
}

}  // namespace

bool SpeedupAgrees(const EvaluationResult& recorded, const EvaluationResult& now, double tolerance,
                   std::string* expected) {
  const double low = recorded.speedup_ci_low(), high = recorded.speedup_ci_high();
  const bool interval = low > 0 && high >= low;
  *expected = interval ? absl::StrCat("[", low, ", ", high, "]")
                       : absl::StrCat(recorded.speedup(), " +/- ", tolerance * 100, "%");
  if (!now.timing_available()) return false;
  if (interval) return now.speedup() >= low && now.speedup() <= high;
  return recorded.speedup() > 0 && std::abs(now.speedup() / recorded.speedup() - 1) <= tolerance;
}

bool Verdict::passed() const {
  for (const auto& c : checks) {
    if (c.state == CheckState::kFailed) return false;
  }
  return true;
}

absl::StatusOr<Verdict> VerifyRun(const std::string& run_dir, const VerifyOptions& options) {
  for (const auto& c : options.checks) {
    if (std::find(std::begin(kCheckNames), std::end(kCheckNames), c) == std::end(kCheckNames)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--checks: '", c, "' is not one of ", absl::StrJoin(kCheckNames, ", ")));
    }
  }
  Verdict verdict;
  verdict.run_dir = std::string(absl::StripSuffix(run_dir, "/"));
  RunData run;
  bool readable = false;
  verdict.checks.push_back(CheckSchema(verdict.run_dir, &run, &readable));
  const RunRecord& record = run.record;
  verdict.run = absl::StrCat(record.configuration().empty() ? "?" : record.configuration(),
                             record.model().name().empty() ? "" : absl::StrCat(" (", record.model().name(), ")"),
                             " on suite ", record.suite(), ", ", run.results.size(), " results, ",
                             record.environment().device_name(), " (", record.environment().backend(), "), harness ",
                             record.harness_version(), ", started ", record.started_at());
  if (record.run_id().empty() && record.suite().empty()) verdict.run = "the record could not be read";
  if (!readable) {
    const std::string why = "not run: the folder cannot be read as a run (see schema)";
    verdict.checks.push_back(NotRun("release", why));
    verdict.checks.push_back(NotRun("transcripts", why));
    verdict.checks.push_back(NotRun("re-judge", why));
    return verdict;
  }
  if (Wanted(options, "release")) {
    verdict.checks.push_back(CheckRelease(run, options));
  } else {
    verdict.checks.push_back(NotRun("release", "not asked for (--checks)"));
  }
  const bool replay = Wanted(options, "transcripts"), rejudge = Wanted(options, "rejudge");
  const bool release_ok = verdict.checks.back().state != CheckState::kFailed;
  if (!release_ok || (!replay && !rejudge)) {
    const std::string why = release_ok ? "not asked for (--checks)"
                                       : "not run: the release check failed, so the tree's tasks are not what was "
                                         "measured";
    verdict.checks.push_back(NotRun("transcripts", replay ? why : "not asked for (--checks)"));
    verdict.checks.push_back(NotRun("re-judge", rejudge ? why : "not asked for (--checks)"));
    return verdict;
  }
  auto selected = Selected(run, options);
  if (!selected.ok()) return selected.status();
  if (!IsRegularFile(options.worker_path)) {
    return absl::NotFoundError(absl::StrCat("the harness worker ", options.worker_path, " does not exist (--worker)"));
  }

  // Evaluations and replays work in a runner's scratch folder: removed at the end, and
  // by the next runner if this one is killed outright. The kernels re-judged are
  // untrusted: the folder must be out of their reach.
  auto scratch = RunnerScratch::Open(options.scratch_dir, false, "leaderboard verify", &std::cerr);
  if (!scratch.ok()) return scratch.status();
  const std::string tmp = (*scratch)->dir();
  if (auto s = ScratchOutOfReach(tmp, "--scratch_dir"); !s.ok()) return s;

  Machine machine;
  machine.options.python = options.python;
  machine.options.worker_path = options.worker_path;
  machine.options.scratch_dir = tmp;
  machine.options.settings = RejudgeSettings(record, options);
  if (options.device == "cpu") {  // the interpreter: nothing to ask a worker
    machine.environment.set_backend("cpu-interpreter");
    machine.environment.set_device_name("the CPU");
  } else {
    auto env = Evaluator(machine.options).ProbeEnvironment();
    if (!env.ok()) return env.status();
    machine.environment = *env;
  }
  machine.timed = machine.environment.backend() != "cpu-interpreter";
  verdict.checks.push_back(replay ? CheckTranscripts(run, *selected, options, machine, tmp)
                                  : NotRun("transcripts", "not asked for (--checks)"));
  verdict.checks.push_back(rejudge ? CheckRejudge(run, *selected, options, machine)
                                   : NotRun("re-judge", "not asked for (--checks)"));
  return verdict;
}

std::string RenderVerdict(const Verdict& verdict) {
  std::string out = absl::StrCat("leaderboard verify ", verdict.run_dir, "\nrun: ", verdict.run, "\n");
  std::vector<std::string> passed, failed, other;
  for (const auto& c : verdict.checks) {
    const char* word = c.state == CheckState::kPassed   ? "OK"
                       : c.state == CheckState::kFailed ? "FAILED"
                       : c.state == CheckState::kSkipped ? "SKIPPED"
                                                         : "n/a";
    absl::StrAppend(&out, "[", word, "] ", c.name, ": ", c.summary, "\n");
    for (const auto& d : c.details) absl::StrAppend(&out, "    ", d, "\n");
    (c.state == CheckState::kPassed ? passed : c.state == CheckState::kFailed ? failed : other).push_back(c.name);
  }
  absl::StrAppend(&out, "VERDICT: ", verdict.passed() ? "PASSED" : "FAILED");
  std::vector<std::string> parts;
  if (!passed.empty()) parts.push_back(absl::StrCat(absl::StrJoin(passed, ", "), " passed"));
  if (!failed.empty()) parts.push_back(absl::StrCat(absl::StrJoin(failed, ", "), " failed"));
  if (!other.empty()) parts.push_back(absl::StrCat(absl::StrJoin(other, ", "), " not run or not applicable"));
  absl::StrAppend(&out, " (", absl::StrJoin(parts, "; "), ")\n");
  return out;
}

}  // namespace tritonbench
