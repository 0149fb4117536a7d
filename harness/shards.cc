#include "harness/shards.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "common/json.h"
#include "common/run_folder.h"
#include "harness/evaluator.h"
#include "harness/release.h"
#include "harness/run_release.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

std::string SplitSha256(const ShardInfo& info) {
  std::string text = absl::StrCat(info.count(), "\n", info.balanced_by(), "\n");
  const absl::string_view nul("\0", 1);
  for (const auto& t : info.tasks()) absl::StrAppend(&text, t.task_id(), nul, t.shard(), nul, t.task_content_hash(), "\n");
  return Sha256Hex(text);
}

absl::StatusOr<RunRecord> ReadRecord(const std::string& dir) {
  const std::string path = dir + "/run_record.json";
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  RunRecord record;
  if (auto s = FromJson(*text, &record); !s.ok()) {
    return absl::DataLossError(absl::StrCat(path, ": ", s.message()));
  }
  return record;
}

std::string ShardName(int index, int count) { return absl::StrCat("shard ", index, "/", count); }

// Why two splits differ, in words.
std::string SplitDifference(const ShardInfo& a, const ShardInfo& b) {
  if (a.count() != b.count()) return absl::StrCat("into ", a.count(), " vs ", b.count(), " shards");
  if (a.balanced_by() != b.balanced_by()) {
    return absl::StrCat("balanced by ", a.balanced_by(), " vs by ", b.balanced_by());
  }
  if (a.tasks_size() != b.tasks_size()) return absl::StrCat(a.tasks_size(), " vs ", b.tasks_size(), " tasks");
  for (int i = 0; i < a.tasks_size(); ++i) {
    const ShardTask& x = a.tasks(i);
    const ShardTask& y = b.tasks(i);
    if (x.task_id() != y.task_id()) return absl::StrCat("task ", i, " is ", x.task_id(), " vs ", y.task_id());
    if (x.task_content_hash() != y.task_content_hash()) {
      return absl::StrCat("task ", x.task_id(), "'s content differs (edited between the shards' starts)");
    }
    if (x.shard() != y.shard()) {
      return absl::StrCat("task ", x.task_id(), " is in shard ", x.shard(), " vs ", y.shard(),
                          " (other recorded costs)");
    }
  }
  return "the same tasks, other hashes";
}

// The shard folders at `paths`: each a folder with run_record.json, or whose direct
// subfolders are (sorted).
std::vector<std::string> ShardFolders(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& raw : paths) {
    const std::string path(absl::StripSuffix(raw, "/"));
    if (IsRegularFile(path + "/run_record.json")) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> subs;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_directory() && IsRegularFile(e.path().string() + "/run_record.json")) subs.push_back(e.path().string());
    }
    std::sort(subs.begin(), subs.end());
    out.insert(out.end(), subs.begin(), subs.end());
  }
  return out;
}

struct LoadedShard {
  std::string dir;
  RunRecord record;
};

// Loads the shard records at `paths`; problems (not shards, counts, splits, doubles)
// are appended. By index.
std::map<int, LoadedShard> LoadShards(const std::vector<std::string>& paths, int* count,
                                      std::vector<std::string>* problems) {
  std::map<int, LoadedShard> by_index;
  const LoadedShard* first = nullptr;
  for (const auto& dir : ShardFolders(paths)) {
    auto record = ReadRecord(dir);
    if (!record.ok()) {
      problems->push_back(std::string(record.status().message()));
      continue;
    }
    if (!record->has_shard()) {
      problems->push_back(absl::StrCat(dir, " holds a run that is not a shard (its run_record.json has no shard)"));
      continue;
    }
    const ShardInfo& s = record->shard();
    if (*count == 0) *count = s.count();
    if (s.count() != *count) {
      problems->push_back(absl::StrCat(dir, " is shard ", s.index(), " of ", s.count(), ", not of ", *count,
                                       ": shards of different splits"));
      continue;
    }
    if (s.index() < 0 || s.index() >= s.count()) {
      problems->push_back(absl::StrCat(dir, ": shard.index ", s.index(), " is not below shard.count ", s.count()));
      continue;
    }
    if (first != nullptr && s.split_sha256() != first->record.shard().split_sha256()) {
      problems->push_back(absl::StrCat(ShardName(s.index(), s.count()), " (", dir, ") was split differently from ",
                                       ShardName(first->record.shard().index(), *count), " (", first->dir,
                                       "): ", SplitDifference(first->record.shard(), s)));
      continue;
    }
    auto [it, fresh] = by_index.emplace(s.index(), LoadedShard{dir, *std::move(record)});
    if (!fresh) {
      problems->push_back(absl::StrCat("two folders hold ", ShardName(s.index(), s.count()), ": ", it->second.dir,
                                       " and ", dir));
      continue;
    }
    if (first == nullptr) first = &it->second;
  }
  return by_index;
}

std::vector<std::string> TasksOf(const ShardInfo& split, int index) {
  std::vector<std::string> out;
  for (const auto& t : split.tasks()) {
    if (t.shard() == index) out.push_back(t.task_id());
  }
  return out;
}

absl::Status CopyTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot copy ", from.string(), " to ", to.string(), ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ShardSpec> ParseShard(const std::string& flag) {
  std::vector<std::string> parts = absl::StrSplit(flag, '/');
  ShardSpec spec;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &spec.index) || !absl::SimpleAtoi(parts[1], &spec.count)) {
    return absl::InvalidArgumentError(absl::StrCat("--shard=", flag, ": give I/N, shard I of N, I counted from 0"));
  }
  if (spec.count < 1) return absl::InvalidArgumentError(absl::StrCat("--shard=", flag, ": N must be at least 1"));
  if (spec.index < 0 || spec.index >= spec.count) {
    return absl::InvalidArgumentError(absl::StrCat("--shard=", flag, ": the shard index must be from 0 to ",
                                                   spec.count - 1,
                                                   " (shards are counted from 0, as Slurm array and Kubernetes "
                                                   "completion indices are)"));
  }
  return spec;
}

std::string ShardFolderName(int index, int count) { return absl::StrCat("shard-", index, "-of-", count); }

absl::StatusOr<std::map<std::string, double>> ReadTaskCosts(const std::string& path) {
  std::vector<std::string> files;
  if (IsRegularFile(path)) {
    files.push_back(path);
  } else if (IsDirectory(path)) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file() && it->path().filename() == "results.jsonl") files.push_back(it->path().string());
    }
    if (ec) return absl::InternalError(absl::StrCat("cannot walk ", path, ": ", ec.message()));
    std::sort(files.begin(), files.end());
  }
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat("--shard_costs=", path, ": no results.jsonl there to read task costs from"));
  }
  std::map<std::string, std::pair<double, int>> sums;
  for (const auto& file : files) {
    auto results = ReadJsonLines<EvaluationResult>(file);
    if (!results.ok()) return results.status();
    for (const auto& r : *results) {
      if (r.task_id().empty() || r.wall_seconds() <= 0) continue;
      sums[r.task_id()].first += r.wall_seconds();
      ++sums[r.task_id()].second;
    }
  }
  std::map<std::string, double> costs;
  for (const auto& [id, sum] : sums) costs[id] = sum.first / sum.second;
  return costs;
}

ShardInfo SplitTasks(const std::vector<std::pair<std::string, std::string>>& tasks, int count,
                     const std::map<std::string, double>& costs) {
  ShardInfo info;
  info.set_count(count);
  std::map<std::string, int> shard_of;
  std::map<std::string, double> cost_of;
  double known = 0;
  int known_n = 0;
  for (const auto& [id, hash] : tasks) {
    auto it = costs.find(id);
    if (it != costs.end()) {
      known += it->second;
      ++known_n;
    }
  }
  if (known_n > 0) {
    info.set_balanced_by("cost");
    const double mean = known / known_n;
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [id, hash] : tasks) {
      auto it = costs.find(id);
      cost_of[id] = it != costs.end() ? it->second : mean;
      order.emplace_back(cost_of[id], id);
    }
    // Longest first; equal costs by id.
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<double> load(count, 0);
    for (const auto& [cost, id] : order) {
      const int to = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
      load[to] += cost;
      shard_of[id] = to;
    }
  } else {
    info.set_balanced_by("name");
    std::vector<std::string> ids;
    for (const auto& [id, hash] : tasks) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (size_t i = 0; i < ids.size(); ++i) shard_of[ids[i]] = static_cast<int>(i % count);
  }
  for (const auto& [id, hash] : tasks) {
    ShardTask* t = info.add_tasks();
    t->set_task_id(id);
    t->set_shard(shard_of[id]);
    t->set_task_content_hash(hash);
    if (cost_of.count(id)) t->set_cost_seconds(cost_of[id]);
  }
  info.set_split_sha256(SplitSha256(info));
  return info;
}

absl::StatusOr<ShardSelection> SelectShard(const std::vector<std::string>& task_dirs,
                                           const std::vector<std::string>& task_ids, const ShardSpec& spec,
                                           const std::string& costs_path) {
  std::map<std::string, std::string> per_dir;
  auto run_hash = ContentHash(task_dirs, &per_dir);
  if (!run_hash.ok()) return run_hash.status();
  std::map<std::string, double> costs;
  if (!costs_path.empty()) {
    auto read = ReadTaskCosts(costs_path);
    if (!read.ok()) return read.status();
    costs = *std::move(read);
  }
  std::vector<std::pair<std::string, std::string>> tasks;
  for (size_t i = 0; i < task_dirs.size(); ++i) {
    tasks.emplace_back(task_ids[i], per_dir[BaseName(std::string(absl::StripSuffix(task_dirs[i], "/")))]);
  }
  ShardSelection out;
  out.info = SplitTasks(tasks, spec.count, costs);
  out.info.set_index(spec.index);
  out.info.set_run_suite_content_hash(*run_hash);
  auto releases = RunReleases::Load(task_dirs);
  if (!releases.ok()) return releases.status();
  RunRecord whole;
  releases->MarkRun(&whole);
  out.info.set_run_release(whole.release());
  out.info.set_run_release_manifest_hash(whole.release_manifest_hash());
  for (size_t i = 0; i < task_dirs.size(); ++i) {
    if (out.info.tasks(i).shard() == spec.index) out.tasks.push_back(i);
  }
  return out;
}

absl::StatusOr<std::optional<ShardSelection>> TakeShard(const std::string& shard_flag, const std::string& costs_flag,
                                                        std::vector<Task>* tasks, std::vector<std::string>* task_dirs) {
  if (shard_flag.empty()) {
    if (!costs_flag.empty()) return absl::InvalidArgumentError("--shard_costs needs --shard");
    return std::nullopt;
  }
  auto spec = ParseShard(shard_flag);
  if (!spec.ok()) return spec.status();
  std::vector<std::string> ids;
  for (const auto& t : *tasks) ids.push_back(t.spec.id());
  auto selected = SelectShard(*task_dirs, ids, *spec, costs_flag);
  if (!selected.ok()) return selected.status();
  std::vector<Task> part;
  std::vector<std::string> part_dirs;
  for (size_t i : selected->tasks) {
    part.push_back((*tasks)[i]);
    part_dirs.push_back((*task_dirs)[i]);
  }
  *tasks = std::move(part);
  *task_dirs = std::move(part_dirs);
  return *std::move(selected);
}

std::string ShardSummary(const ShardSelection& selection) {
  const ShardInfo& s = selection.info;
  return absl::StrCat("shard ", s.index(), "/", s.count(), ": ", selection.tasks.size(), " of ", s.tasks_size(),
                      " task(s), balanced by ", s.balanced_by());
}

absl::Status CheckShardResumable(const std::string& out_dir, const ShardInfo* now) {
  if (!IsRegularFile(out_dir + "/run_record.json")) return absl::OkStatus();
  auto earlier = ReadRecord(out_dir);
  if (!earlier.ok()) return earlier.status();
  const bool was = earlier->has_shard();
  if (!was && now == nullptr) return absl::OkStatus();
  if (!was || now == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        out_dir, " holds ", was ? absl::StrCat("shard ", earlier->shard().index(), "/", earlier->shard().count())
                                : "a run that is not a shard",
        "; this command runs ", now ? absl::StrCat("shard ", now->index(), "/", now->count()) : "the whole run",
        ": give the same --shard, or choose a new --out"));
  }
  const ShardInfo& e = earlier->shard();
  if (e.index() != now->index() || e.count() != now->count()) {
    return absl::FailedPreconditionError(absl::StrCat(out_dir, " holds shard ", e.index(), "/", e.count(),
                                                      ", not shard ", now->index(), "/", now->count()));
  }
  if (e.split_sha256() != now->split_sha256()) {
    return absl::FailedPreconditionError(absl::StrCat(out_dir, " holds shard ", e.index(), "/", e.count(),
                                                      " of another split of the run (", SplitDifference(e, *now),
                                                      "): resume with the tasks and --shard_costs it began with"));
  }
  return absl::OkStatus();
}

std::string ShardDifference(const RunRecord& a, const RunRecord& b) {
  auto differs = [](const std::string& what, const std::string& x, const std::string& y) {
    return x == y ? std::string() : absl::StrCat(what, " was '", x, "', now '", y, "'");
  };
  const Environment& x = a.environment();
  const Environment& y = b.environment();
  for (const std::string& d : {
           differs("configuration", a.configuration(), b.configuration()),
           differs("model", a.model().name(), b.model().name()),
           differs("provider", a.model().provider(), b.model().provider()),
           differs("sampling", a.model().sampling(), b.model().sampling()),
           differs("provenance", ToJson(a.provenance()), ToJson(b.provenance())),
           differs("harness version", a.harness_version(), b.harness_version()),
           differs("harness content hash", a.harness_content_hash(), b.harness_content_hash()),
           differs("release", a.shard().run_release(), b.shard().run_release()),
           differs("release manifest hash", a.shard().run_release_manifest_hash(),
                   b.shard().run_release_manifest_hash()),
           differs("suite content hash", a.shard().run_suite_content_hash(), b.shard().run_suite_content_hash()),
           differs("settings", ComparableSettings(a.settings()), ComparableSettings(b.settings())),
           differs("backend", x.backend(), y.backend()),
           differs("device", x.device_name(), y.device_name()),
           differs("driver", x.driver_version(), y.driver_version()),
           differs("runtime", x.runtime_version(), y.runtime_version()),
           differs("torch", x.torch_version(), y.torch_version()),
           differs("triton", x.triton_version(), y.triton_version()),
           differs("python", x.python_version(), y.python_version()),
       }) {
    if (!d.empty()) return d;
  }
  return "";
}

std::string ShardsStatus::Describe() const {
  std::string out;
  for (const auto& s : shards) {
    const std::string name = ShardName(s.index, count);
    switch (s.state) {
      case ShardState::kMissing:
        absl::StrAppend(&out, name, ": missing, no run folder (", s.tasks.size(), " task(s)",
                        s.tasks.empty() ? "" : absl::StrCat(": ", absl::StrJoin(s.tasks, ", ")), ")\n");
        break;
      case ShardState::kUnfinished:
        absl::StrAppend(&out, name, ": unfinished, ", s.finished_tasks, " of ", s.tasks.size(), " task(s) (", s.why,
                        s.missing_tasks.empty() ? "" : absl::StrCat("; missing: ", absl::StrJoin(s.missing_tasks, ", ")),
                        ") in ", s.dir, "\n");
        break;
      case ShardState::kFinished:
        absl::StrAppend(&out, name, ": finished, ", s.finished_tasks, " of ", s.tasks.size(), " task(s) in ", s.dir,
                        "\n");
        break;
    }
  }
  return out;
}

std::vector<int> ShardsStatus::Unfinished() const {
  std::vector<int> out;
  for (const auto& s : shards) {
    if (s.state != ShardState::kFinished) out.push_back(s.index);
  }
  return out;
}

absl::StatusOr<ShardsStatus> ReadShards(const std::vector<std::string>& paths, int count) {
  std::vector<std::string> problems;
  int n = count;
  std::map<int, LoadedShard> shards = LoadShards(paths, &n, &problems);
  if (!problems.empty()) return absl::FailedPreconditionError(absl::StrJoin(problems, "\n"));
  if (n == 0) {
    return absl::NotFoundError(absl::StrCat("no shard run folder at ", absl::StrJoin(paths, ", "),
                                            " (and no shard count given)"));
  }
  ShardsStatus status;
  status.count = n;
  const ShardInfo* split = shards.empty() ? nullptr : &shards.begin()->second.record.shard();
  for (int i = 0; i < n; ++i) {
    ShardState s;
    s.index = i;
    if (split) s.tasks = TasksOf(*split, i);
    auto it = shards.find(i);
    if (it == shards.end()) {
      s.missing_tasks = s.tasks;
      status.shards.push_back(std::move(s));
      continue;
    }
    const RunRecord& r = it->second.record;
    s.dir = it->second.dir;
    // results.jsonl is what an unfinished run has finished (the record is rewritten at its end).
    auto results = ReadJsonLines<EvaluationResult>(s.dir + "/results.jsonl");
    if (!results.ok()) return results.status();
    std::set<std::string> done;
    for (const auto& res : *results) done.insert(res.task_id());
    for (const auto& t : s.tasks) {
      if (done.count(t)) {
        ++s.finished_tasks;
      } else {
        s.missing_tasks.push_back(t);
      }
    }
    const bool finished = !r.finished_at().empty() && !r.interrupted();
    s.state = finished && s.missing_tasks.empty() ? ShardState::kFinished : ShardState::kUnfinished;
    s.why = r.interrupted() ? "interrupted" : r.finished_at().empty() ? "never finished" : "finished without every task";
    status.shards.push_back(std::move(s));
  }
  return status;
}

absl::StatusOr<RunRecord> MergeShards(const std::vector<std::string>& paths, const std::string& out_dir) {
  std::vector<std::string> problems;
  int count = 0;
  std::map<int, LoadedShard> shards = LoadShards(paths, &count, &problems);
  if (count == 0 && problems.empty()) {
    return absl::NotFoundError(absl::StrCat("no shard run folder at ", absl::StrJoin(paths, ", ")));
  }
  if (!problems.empty()) return absl::FailedPreconditionError(absl::StrJoin(problems, "\n"));
  const LoadedShard& first = shards.begin()->second;
  const ShardInfo& split = first.record.shard();
  // Each shard's results and generations, byte for byte, by task.
  std::map<std::string, std::string> result_line, generation_line;
  std::map<std::string, EvaluationResult> result_of;
  std::map<std::string, TaskGeneration> generation_of;
  bool generations = false;
  for (int i = 0; i < count; ++i) {
    const std::vector<std::string> tasks = TasksOf(split, i);
    auto it = shards.find(i);
    if (it == shards.end()) {
      problems.push_back(absl::StrCat(ShardName(i, count), " is missing: no run folder (", tasks.size(), " task(s)",
                                      tasks.empty() ? "" : absl::StrCat(": ", absl::StrJoin(tasks, ", ")), ")"));
      continue;
    }
    const LoadedShard& s = it->second;
    const std::string name = absl::StrCat(ShardName(i, count), " (", s.dir, ")");
    if (std::string d = ShardDifference(first.record, s.record); !d.empty()) {
      problems.push_back(absl::StrCat(name, " is not of the same run as ", ShardName(split.index(), count), " (",
                                      first.dir, "): ", d));
      continue;
    }
    std::vector<std::string> lines;
    auto results = ReadJsonLines<EvaluationResult>(s.dir + "/results.jsonl", &lines);
    if (!results.ok()) {
      problems.push_back(std::string(results.status().message()));
      continue;
    }
    std::set<std::string> mine(tasks.begin(), tasks.end()), seen;
    std::vector<std::string> missing;
    for (size_t k = 0; k < results->size(); ++k) {
      const std::string& id = (*results)[k].task_id();
      if (!mine.count(id)) {
        problems.push_back(absl::StrCat(name, " has a result for ", id, ", a task of another shard or none"));
      } else if (!seen.insert(id).second) {
        problems.push_back(absl::StrCat(name, " has two results for ", id));
      } else {
        result_line[id] = lines[k];
        result_of[id] = (*results)[k];
      }
    }
    for (const auto& t : tasks) {
      if (!seen.count(t)) missing.push_back(t);
    }
    const bool finished = !s.record.finished_at().empty() && !s.record.interrupted();
    if (!finished || !missing.empty()) {
      problems.push_back(absl::StrCat(name, " is unfinished (",
                                      s.record.interrupted()         ? "interrupted"
                                      : s.record.finished_at().empty() ? "never finished"
                                                                       : "finished without every task",
                                      "): ", seen.size(), " of ", tasks.size(), " task(s)",
                                      missing.empty() ? "" : absl::StrCat("; missing: ", absl::StrJoin(missing, ", ")),
                                      "; run it again with the same command to finish it"));
      continue;
    }
    if (s.record.results_size() != static_cast<int>(results->size())) {
      problems.push_back(absl::StrCat(name, ": run_record.json has ", s.record.results_size(),
                                      " results, results.jsonl ", results->size()));
      continue;
    }
    const std::string gen_path = s.dir + "/generations.jsonl";
    if (IsRegularFile(gen_path) || s.record.generations_size() > 0) {
      generations = true;
      std::vector<std::string> glines;
      auto gens = ReadJsonLines<TaskGeneration>(gen_path, &glines);
      if (!gens.ok()) {
        problems.push_back(std::string(gens.status().message()));
        continue;
      }
      for (size_t k = 0; k < gens->size(); ++k) {
        generation_line[(*gens)[k].task_id()] = glines[k];
        generation_of[(*gens)[k].task_id()] = (*gens)[k];
      }
      for (const auto& t : tasks) {
        if (!generation_of.count(t)) problems.push_back(absl::StrCat(name, ": generations.jsonl has no line for ", t));
      }
    }
  }
  if (!problems.empty()) return absl::FailedPreconditionError(absl::StrJoin(problems, "\n"));

  // The out folder: never one that holds a run; leftovers of a merge cut short go.
  const std::string marker = out_dir + "/.merge_in_progress";
  if (IsRegularFile(out_dir + "/run_record.json")) {
    return absl::AlreadyExistsError(absl::StrCat(out_dir, " already holds a run (run_record.json); runs are never "
                                                 "overwritten: choose a new --out"));
  }
  const std::vector<std::string> outputs = {"results.jsonl", "generations.jsonl", "candidates", "transcripts"};
  for (const auto& o : outputs) {
    if (fs::exists(absl::StrCat(out_dir, "/", o)) && !IsRegularFile(marker)) {
      return absl::AlreadyExistsError(absl::StrCat(out_dir, " holds ", o, " but no run: choose a new --out"));
    }
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", out_dir, ": ", ec.message()));
  if (auto s = WriteFile(marker, "tools/merge_runs writes this run\n"); !s.ok()) return s;
  for (const auto& o : outputs) fs::remove_all(absl::StrCat(out_dir, "/", o), ec);

  RunRecord merged = first.record;
  merged.clear_results();
  merged.clear_generations();
  merged.clear_shard();
  merged.clear_resumed_at();
  merged.clear_merged_shards();
  merged.set_interrupted(false);
  merged.set_suite_content_hash(split.run_suite_content_hash());
  merged.set_release(split.run_release());
  merged.set_release_manifest_hash(split.run_release_manifest_hash());
  std::vector<std::string> resumed, run_ids;
  std::string results_text, generations_text;
  int session = 0;
  for (auto& [index, s] : shards) {
    merged.set_started_at(std::min(merged.started_at(), s.record.started_at()));
    merged.set_finished_at(std::max(merged.finished_at(), s.record.finished_at()));
    resumed.insert(resumed.end(), s.record.resumed_at().begin(), s.record.resumed_at().end());
    run_ids.push_back(s.record.run_id());
    RunRecord header = s.record;
    header.clear_results();
    header.clear_generations();
    header.mutable_shard()->clear_tasks();
    *merged.add_merged_shards() = std::move(header);
    // The shard's candidates, and its transcript sessions after the earlier shards'.
    const fs::path candidates = fs::path(s.dir) / "candidates";
    if (IsDirectory(candidates.string())) {
      for (const auto& e : fs::directory_iterator(candidates, ec)) {
        if (auto st = CopyTree(e.path(), fs::path(out_dir) / "candidates" / e.path().filename()); !st.ok()) return st;
      }
    }
    std::vector<std::pair<int, fs::path>> sessions;
    for (const auto& e : fs::directory_iterator(fs::path(s.dir) / "transcripts", ec)) {
      const std::string n = e.path().filename().string();
      int k = 0;
      if (e.is_directory() && absl::StartsWith(n, "session-") && absl::SimpleAtoi(n.substr(8), &k)) {
        sessions.emplace_back(k, e.path());
      }
    }
    ec.clear();
    std::sort(sessions.begin(), sessions.end());
    for (const auto& [k, path] : sessions) {
      auto st = CopyTree(path, fs::path(out_dir) / "transcripts" / absl::StrCat("session-", session++));
      if (!st.ok()) return st;
    }
  }
  std::sort(resumed.begin(), resumed.end());
  for (const auto& r : resumed) merged.add_resumed_at(r);
  merged.set_run_id(absl::StrCat(merged.started_at(), "-", merged.configuration(), "-", count, "shards-",
                                 Sha256Hex(absl::StrJoin(run_ids, "\n")).substr(0, 8)));
  bool same_content = true;
  for (const auto& t : split.tasks()) {
    absl::StrAppend(&results_text, result_line[t.task_id()], "\n");
    *merged.add_results() = result_of[t.task_id()];
    same_content &= result_of[t.task_id()].task_content_hash() == t.task_content_hash();
    if (generations) {
      absl::StrAppend(&generations_text, generation_line[t.task_id()], "\n");
      *merged.add_generations() = generation_of[t.task_id()];
    }
  }
  // As RunReleases::ConfirmRun: a task edited while the run went on makes it unreleased.
  if (!same_content && merged.release() != kUnreleased) {
    merged.set_release(kUnreleased);
    merged.set_release_manifest_hash("");
  }
  CountResults(&merged);
  if (auto s = WriteFileAtomically(out_dir + "/results.jsonl", results_text); !s.ok()) return s;
  if (generations) {
    if (auto s = WriteFileAtomically(out_dir + "/generations.jsonl", generations_text); !s.ok()) return s;
  }
  if (auto s = WriteFileAtomically(out_dir + "/run_record.json", ToJson(merged, /*pretty=*/true) + "\n"); !s.ok()) {
    return s;
  }
  fs::remove(marker, ec);
  return merged;
}

}  // namespace tritonbench
