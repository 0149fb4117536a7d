#include "harness/release.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "harness/suite.h"
#include "re2/re2.h"

namespace tritonbench {
namespace {

using google::protobuf::TextFormat;

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectErrors(std::string path) : path_(std::move(path)) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override { AddError(line, column, message); }
  std::string Joined() const { return absl::StrJoin(errors_, "\n"); }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

// "path:line: releases[i].field: what", the line from the parser's locations.
absl::Status ErrorAt(const std::string& path, const TextFormat::ParseInfoTree* tree, int release,
                     const char* field, int index, const std::string& what) {
  const TextFormat::ParseInfoTree* nested =
      release >= 0 ? tree->GetTreeForNested(SuiteReleases::descriptor()->FindFieldByName("releases"), release)
                   : nullptr;
  std::string where = path;
  std::string name = field;
  if (release >= 0) name = absl::StrCat("releases[", release, "].", field);
  if (index >= 0) absl::StrAppend(&name, "[", index, "]");
  const TextFormat::ParseInfoTree* at = release >= 0 ? nested : tree;
  const google::protobuf::Descriptor* type = release >= 0 ? Release::descriptor() : SuiteReleases::descriptor();
  if (at != nullptr) {
    const auto* f = type->FindFieldByName(field);
    if (f != nullptr) {
      auto loc = at->GetLocation(f, f->is_repeated() ? std::max(index, 0) : -1);
      if (loc.line >= 0) where = absl::StrCat(path, ":", loc.line + 1);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", name, ": ", what));
}

}  // namespace

std::string ManifestHash(const Release& release) {
  std::string lines;
  for (const auto& task : release.tasks()) {
    absl::StrAppend(&lines, task.id(), std::string(1, '\0'), task.content_hash(), "\n");
  }
  return Sha256Hex(lines);
}

absl::StatusOr<SuiteReleases> ParseReleases(const std::string& text, const std::string& path) {
  SuiteReleases releases;
  TextFormat::Parser parser;
  CollectErrors errors(path);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &releases)) return absl::InvalidArgumentError(errors.Joined());
  if (releases.suite().empty()) return ErrorAt(path, &tree, -1, "suite", -1, "required");
  std::set<std::string> names;
  for (int r = 0; r < releases.releases_size(); ++r) {
    const Release& release = releases.releases(r);
    if (release.name().empty()) return ErrorAt(path, &tree, r, "name", -1, "required");
    if (!names.insert(release.name()).second) {
      return ErrorAt(path, &tree, r, "name", -1, absl::StrCat("'", release.name(), "' is named twice"));
    }
    if (!RE2::FullMatch(release.date(), R"(\d{4}-\d{2}-\d{2})")) {
      return ErrorAt(path, &tree, r, "date", -1, absl::StrCat("'", release.date(), "' is not YYYY-MM-DD"));
    }
    if (r > 0 && release.date() < releases.releases(r - 1).date()) {
      return ErrorAt(path, &tree, r, "date", -1,
                     absl::StrCat("'", release.date(), "' is before the previous release's ",
                                  releases.releases(r - 1).date(), " (releases are listed oldest first)"));
    }
    if (release.tasks_size() == 0) return ErrorAt(path, &tree, r, "tasks", -1, "a release holds at least one task");
    for (int t = 0; t < release.tasks_size(); ++t) {
      const ReleasedTask& task = release.tasks(t);
      if (task.id().empty()) return ErrorAt(path, &tree, r, "tasks", t, "id is required");
      if (!RE2::FullMatch(task.content_hash(), "[0-9a-f]{64}")) {
        return ErrorAt(path, &tree, r, "tasks", t,
                       absl::StrCat("content_hash of '", task.id(), "' is not 64 lower-case hex digits"));
      }
      if (t > 0 && !(release.tasks(t - 1).id() < task.id())) {
        return ErrorAt(path, &tree, r, "tasks", t,
                       absl::StrCat("'", task.id(), "' is out of order or repeated (tasks are sorted by id)"));
      }
    }
    const std::string expected = ManifestHash(release);
    if (release.manifest_hash() != expected) {
      return ErrorAt(path, &tree, r, "manifest_hash", -1,
                     absl::StrCat("'", release.manifest_hash(), "' does not match its tasks (", expected, ")"));
    }
  }
  return releases;
}

absl::StatusOr<SuiteReleases> LoadReleases(const std::string& suite_dir) {
  const std::string dir(absl::StripSuffix(suite_dir, "/"));
  const std::string path = absl::StrCat(dir, "/", kReleasesFile);
  if (!IsRegularFile(path)) return absl::NotFoundError(absl::StrCat(path, ": the suite has no release manifest"));
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto releases = ParseReleases(*text, path);
  if (!releases.ok()) return releases.status();
  // The folder's own name, also when it is given as "." or "../rocm/".
  const std::string folder = BaseName(std::filesystem::absolute(dir).lexically_normal().string());
  if (releases->suite() != folder) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": suite: '", releases->suite(),
                                                   "' must equal the folder name '", folder, "'"));
  }
  return releases;
}

absl::StatusOr<std::map<std::string, std::string>> TreeTaskHashes(const std::string& suite_dir) {
  auto dirs = ListTaskDirs(suite_dir);
  if (!dirs.ok()) return dirs.status();
  std::map<std::string, std::string> hashes;
  if (auto all = ContentHash(*dirs, &hashes); !all.ok()) return all.status();
  return hashes;
}

const Release* ReleaseOfTask(const SuiteReleases& releases, const std::string& task_id,
                             const std::string& content_hash) {
  for (int r = releases.releases_size() - 1; r >= 0; --r) {
    for (const auto& task : releases.releases(r).tasks()) {
      if (task.id() == task_id && task.content_hash() == content_hash) return &releases.releases(r);
    }
  }
  return nullptr;
}

const Release* ReleaseOfTasks(const SuiteReleases& releases,
                              const std::map<std::string, std::string>& measured) {
  if (measured.empty()) return nullptr;
  for (int r = releases.releases_size() - 1; r >= 0; --r) {
    std::map<std::string, std::string> listed;
    for (const auto& task : releases.releases(r).tasks()) listed[task.id()] = task.content_hash();
    bool all = true;
    for (const auto& [id, hash] : measured) {
      auto it = listed.find(id);
      if (it == listed.end() || it->second != hash) {
        all = false;
        break;
      }
    }
    if (all) return &releases.releases(r);
  }
  return nullptr;
}

}  // namespace tritonbench
