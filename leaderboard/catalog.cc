#include "leaderboard/catalog.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/files.h"
#include "harness/release.h"
#include "harness/suite.h"
#include "harness/task_loader.h"
#include "re2/re2.h"

namespace tritonbench {
namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 12); }

const Release* FindRelease(const SuiteReleases& releases, const std::string& name) {
  for (const auto& r : releases.releases()) {
    if (r.name() == name) return &r;
  }
  return nullptr;
}

const ReleasedTask* FindTask(const Release& release, const std::string& id) {
  for (const auto& t : release.tasks()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

std::string ManifestPath(const SuiteCatalog& suite) { return absl::StrCat(suite.dir, "/", kReleasesFile); }

std::string ReleaseNames(const SuiteReleases& releases) {
  std::vector<std::string> names;
  for (const auto& r : releases.releases()) names.push_back(r.name());
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

// Why `result` contradicts release `name` of `suite`, or "" when it does not.
std::string Contradiction(const SuiteCatalog& suite, const std::string& name, const EvaluationResult& result) {
  const Release* release = FindRelease(suite.releases, name);
  if (release == nullptr) {
    return absl::StrCat("'", name, "' is not a release of ", suite.name, " (", ManifestPath(suite), " lists ",
                        ReleaseNames(suite.releases), ")");
  }
  const ReleasedTask* task = FindTask(*release, result.task_id());
  if (task == nullptr) {
    return absl::StrCat("'", name, "', but release ", name, " of ", suite.name, " has no task '", result.task_id(),
                        "' (", ManifestPath(suite), ")");
  }
  if (task->content_hash() != result.task_content_hash()) {
    return absl::StrCat("'", name, "', but task '", result.task_id(), "' was measured with content ",
                        Short(result.task_content_hash()), " and release ", name, " holds ",
                        Short(task->content_hash()), " (", ManifestPath(suite), ")");
  }
  return "";
}

// The first contradiction between `record`'s release fields and the manifest, as
// "run_record.json: <field>: <why>"; "" when there is none.
std::string Refusal(const RunRecord& record, const SuiteCatalog& suite) {
  for (int i = 0; i < record.results_size(); ++i) {
    const EvaluationResult& r = record.results(i);
    if (!r.task_content_hash().empty() && !RE2::FullMatch(r.task_content_hash(), "[0-9a-f]{64}")) {
      return absl::StrCat("run_record.json: results[", i, "].task_content_hash: '", r.task_content_hash(),
                          "' (task '", r.task_id(), "') is not 64 lower-case hex digits");
    }
  }
  if (suite.releases.releases_size() == 0) return "";  // nothing to check against
  const std::string& named = record.release();
  if (!named.empty() && named != kUnreleased) {
    const Release* release = FindRelease(suite.releases, named);
    if (release == nullptr) return absl::StrCat("run_record.json: release: ", Contradiction(suite, named, {}));
    for (int i = 0; i < record.results_size(); ++i) {
      const EvaluationResult& r = record.results(i);
      if (r.task_content_hash().empty()) continue;
      std::string why = Contradiction(suite, named, r);
      if (!why.empty()) return absl::StrCat("run_record.json: release: ", why, " (results[", i, "])");
    }
    if (!record.release_manifest_hash().empty() && record.release_manifest_hash() != release->manifest_hash()) {
      return absl::StrCat("run_record.json: release_manifest_hash: ", Short(record.release_manifest_hash()),
                          " differs from release ", named, "'s ", Short(release->manifest_hash()), " in ",
                          ManifestPath(suite));
    }
  }
  for (int i = 0; i < record.results_size(); ++i) {
    const EvaluationResult& r = record.results(i);
    if (r.release().empty() || r.release() == kUnreleased) continue;
    std::string why = Contradiction(suite, r.release(), r);
    if (!why.empty()) return absl::StrCat("run_record.json: results[", i, "].release: ", why);
  }
  return "";
}

// The content hash each result of `record` measured: its own, or for records older
// than the field the tree's, when the run's suite_content_hash shows that none of its
// tasks changed since. Empty where unknown. `tree_hashes` caches ContentHash per set
// of task folders, so runs over the same tasks read the tree once.
std::vector<std::string> MeasuredHashes(const RunRecord& record, const SuiteCatalog& suite,
                                        std::map<std::string, std::string>* tree_hashes) {
  std::vector<std::string> hashes;
  bool any_missing = false;
  for (const auto& r : record.results()) {
    hashes.push_back(r.task_content_hash());
    any_missing |= r.task_content_hash().empty();
  }
  if (!any_missing) return hashes;
  std::set<std::string> ids;
  std::vector<std::string> dirs;
  for (const auto& r : record.results()) {
    auto dir = suite.task_dirs.find(r.task_id());
    if (dir == suite.task_dirs.end()) return hashes;  // a task since removed or renamed
    if (ids.insert(r.task_id()).second) dirs.push_back(dir->second);
  }
  const std::string key = absl::StrJoin(ids, "\n");
  auto cached = tree_hashes->find(key);
  if (cached == tree_hashes->end()) {
    auto hash = ContentHash(dirs);
    cached = tree_hashes->emplace(key, hash.ok() ? *hash : "").first;
  }
  if (cached->second.empty() || cached->second != record.suite_content_hash()) return hashes;
  for (int i = 0; i < record.results_size(); ++i) {
    if (hashes[i].empty()) hashes[i] = suite.tree_hashes.at(record.results(i).task_id());
  }
  return hashes;
}

}  // namespace

absl::StatusOr<std::vector<SuiteCatalog>> ReadSuiteCatalogs(const std::string& suites_root) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(suites_root, error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  if (error) return absl::NotFoundError(absl::StrCat(suites_root, ": ", error.message()));
  std::sort(names.begin(), names.end());
  const std::string root = suites_root.size() > 1 && suites_root.back() == '/'
                               ? suites_root.substr(0, suites_root.size() - 1)
                               : suites_root;
  std::vector<SuiteCatalog> suites;
  for (const auto& name : names) {
    SuiteCatalog suite;
    suite.name = name;
    suite.dir = absl::StrCat(root, "/", name);
    auto dirs = ListTaskDirs(suite.dir);
    if (!dirs.ok()) continue;  // not a suite (e.g. a folder of BUILD helpers)
    if (auto all = ContentHash(*dirs, &suite.tree_hashes); !all.ok()) return all.status();
    for (const auto& dir : *dirs) {
      const std::string id = BaseName(dir);
      suite.task_dirs[id] = dir;
      const std::string spec_path = dir + "/task.textproto";
      auto text = ReadFile(spec_path);
      if (!text.ok()) return text.status();
      auto spec = ParseTaskSpec(*text, spec_path);
      if (!spec.ok()) return spec.status();
      suite.categories[id] = spec->category();
      if (spec->reference_in_prompt()) suite.reference_in_prompt.insert(id);
      suite.upstream |= spec->has_upstream();
    }
    auto releases = LoadReleases(suite.dir);
    if (releases.ok()) {
      suite.releases = *std::move(releases);
    } else if (absl::IsNotFound(releases.status())) {
      suite.no_releases = std::string(releases.status().message());
    } else {
      return releases.status();
    }
    suites.push_back(std::move(suite));
  }
  if (suites.empty()) return absl::NotFoundError(absl::StrCat(suites_root, ": no suite folders with tasks"));
  return suites;
}

absl::StatusOr<std::vector<SuiteCatalog>> ReadSuiteCatalogs(const std::vector<std::string>& suites_roots) {
  std::vector<SuiteCatalog> all;
  for (const auto& root : suites_roots) {
    auto read = ReadSuiteCatalogs(root);
    if (!read.ok()) return read.status();
    for (auto& suite : *read) {
      for (const auto& other : all) {
        if (other.name == suite.name) {
          return absl::InvalidArgumentError(
              absl::StrCat("suite '", suite.name, "' is in two suites folders: ", other.dir, " and ", suite.dir));
        }
      }
      all.push_back(std::move(suite));
    }
  }
  std::sort(all.begin(), all.end(), [](const SuiteCatalog& a, const SuiteCatalog& b) { return a.name < b.name; });
  return all;
}

Placement PlaceResults(const LoadedRuns& loaded, const std::vector<SuiteCatalog>& catalogs) {
  Placement out;
  std::map<std::pair<const SuiteCatalog*, const Release*>, size_t> index;
  for (const auto& suite : catalogs) {
    for (int r = suite.releases.releases_size() - 1; r >= 0; --r) {
      index[{&suite, &suite.releases.releases(r)}] = out.releases.size();
      out.releases.push_back({&suite, &suite.releases.releases(r), {}});
    }
  }
  std::map<const SuiteCatalog*, std::map<std::string, std::string>> tree_hashes;
  for (const LoadedRun& run : loaded.runs) {
    const RunRecord& rec = run.record;
    const std::string path = run.dir + "/run_record.json";
    auto unreleased = [&](int count, const std::string& reason) {
      UnreleasedResults u;
      u.set_path(path);
      u.set_suite(rec.suite());
      u.set_configuration(rec.configuration());
      u.set_results(count);
      u.set_reason(reason);
      out.unreleased.push_back(std::move(u));
    };
    auto suite = std::find_if(catalogs.begin(), catalogs.end(),
                              [&](const SuiteCatalog& s) { return s.name == rec.suite(); });
    if (suite == catalogs.end()) {
      unreleased(rec.results_size(), absl::StrCat("no suite folder '", rec.suite(), "' in the suites folder"));
      continue;
    }
    if (std::string why = Refusal(rec, *suite); !why.empty()) {
      SkippedRecord s;
      s.set_path(path);
      s.set_reason(why);
      out.refused.push_back(std::move(s));
      continue;
    }
    if (suite->releases.releases_size() == 0) {
      unreleased(rec.results_size(), suite->no_releases);
      continue;
    }
    const std::vector<std::string> hashes = MeasuredHashes(rec, *suite, &tree_hashes[&*suite]);
    std::map<size_t, ReleaseRun> runs;  // release index -> this run's results there
    int no_hash = 0;
    std::vector<std::string> unmatched;
    for (int i = 0; i < rec.results_size(); ++i) {
      const EvaluationResult& r = rec.results(i);
      if (hashes[i].empty()) {
        ++no_hash;
        continue;
      }
      bool placed = false;
      for (const auto& release : suite->releases.releases()) {
        const ReleasedTask* task = FindTask(release, r.task_id());
        if (task == nullptr || task->content_hash() != hashes[i]) continue;
        ReleaseRun& rr = runs[index.at({&*suite, &release})];
        rr.run = &run;
        rr.results.push_back(&r);
        placed = true;
      }
      if (!placed) unmatched.push_back(absl::StrCat(r.task_id(), " ", Short(hashes[i])));
    }
    for (auto& [i, rr] : runs) out.releases[i].runs.push_back(std::move(rr));
    if (no_hash > 0) {
      unreleased(no_hash, "its results carry no task_content_hash (harness before 0.7.0) and the tree's copies of "
                          "its tasks differ from the run's suite_content_hash");
    }
    if (!unmatched.empty()) {
      const size_t shown = std::min<size_t>(unmatched.size(), 3);
      unreleased(static_cast<int>(unmatched.size()),
                 absl::StrCat("task content matches no release of ", suite->name, " (",
                              absl::StrJoin(unmatched.begin(), unmatched.begin() + shown, ", "),
                              unmatched.size() > shown ? ", ..." : "", ")"));
    }
  }
  return out;
}

}  // namespace tritonbench
