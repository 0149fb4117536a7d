#include "harness/release_cut.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "harness/release.h"
#include "re2/re2.h"

namespace tritonbench {
namespace {

// A text-format string literal that keeps UTF-8 and apostrophes readable.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += absl::StrFormat("\\%03o", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

std::string SuiteDir(const std::string& dir) { return std::string(absl::StripSuffix(dir, "/")); }

std::string Backticked(const std::vector<std::string>& ids) {
  std::vector<std::string> quoted;
  for (const auto& id : ids) quoted.push_back(absl::StrCat("`", id, "`"));
  return absl::StrJoin(quoted, ", ");
}

// The offset of the first line of `text` at or after `from` that starts with "## ",
// or text.size().
size_t NextHeading(const std::string& text, size_t from) {
  size_t pos = from;
  while (pos < text.size()) {
    if (text.compare(pos, 3, "## ") == 0) return pos;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return text.size();
}

// The offset of release `name`'s heading line, or npos.
size_t HeadingOf(const std::string& text, const std::string& name) {
  for (size_t pos = NextHeading(text, 0); pos < text.size(); pos = NextHeading(text, pos + 1)) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos + 3, end - pos - 3);
    if (line == name || absl::StartsWith(line, name + " ")) return pos;
  }
  return std::string::npos;
}

}  // namespace

TaskDiff DiffTasks(const Release* release, const std::map<std::string, std::string>& tree) {
  TaskDiff diff;
  std::map<std::string, std::string> listed;
  if (release != nullptr) {
    for (const auto& t : release->tasks()) listed[t.id()] = t.content_hash();
  }
  for (const auto& [id, hash] : tree) {
    auto it = listed.find(id);
    if (it == listed.end()) {
      diff.added.push_back(id);
    } else if (it->second != hash) {
      diff.changed.push_back(id);
    }
  }
  for (const auto& [id, hash] : listed) {
    if (tree.count(id) == 0) diff.removed.push_back(id);
  }
  return diff;
}

Release MakeRelease(const std::string& name, const std::string& date, const std::string& summary,
                    const std::map<std::string, std::string>& tree) {
  Release release;
  release.set_name(name);
  release.set_date(date);
  release.set_summary(summary);
  for (const auto& [id, hash] : tree) {  // a std::map: sorted by id
    ReleasedTask* task = release.add_tasks();
    task->set_id(id);
    task->set_content_hash(hash);
  }
  release.set_manifest_hash(ManifestHash(release));
  return release;
}

std::string FormatReleases(const SuiteReleases& releases) {
  std::string out = absl::StrCat(
      "# proto-file: harness/proto/release.proto\n"
      "# proto-message: tritonbench.SuiteReleases\n"
      "# The releases of this suite, oldest first, each with the content hash of every task it\n"
      "# holds. Written by tools/release cut (never by hand); CHANGELOG.md says what changed.\n"
      "suite: ",
      Quoted(releases.suite()), "\n");
  for (const Release& r : releases.releases()) {
    absl::StrAppend(&out, "\nreleases {\n  name: ", Quoted(r.name()), "\n  date: ", Quoted(r.date()),
                    "\n  summary: ", Quoted(r.summary()), "\n  manifest_hash: ", Quoted(r.manifest_hash()), "\n");
    for (const auto& t : r.tasks()) {
      absl::StrAppend(&out, "  tasks { id: ", Quoted(t.id()), " content_hash: ", Quoted(t.content_hash()), " }\n");
    }
    absl::StrAppend(&out, "}\n");
  }
  return out;
}

std::string NextReleaseName(const std::string& name) {
  std::string prefix, number;
  if (!RE2::FullMatch(name, R"((.*?)(\d+))", &prefix, &number)) return "";
  int value = 0;
  if (!absl::SimpleAtoi(number, &value)) return "";
  return absl::StrCat(prefix, value + 1);
}

std::string ChangelogSection(const Release& release, const Release* previous) {
  std::string out = absl::StrCat("## ", release.name(), " (", release.date(), ")\n\n", release.summary(), "\n\n");
  if (previous == nullptr) {
    absl::StrAppend(&out, release.tasks_size(),
                    " tasks (`releases.textproto` lists them with their content hashes).\n");
    return out;
  }
  std::map<std::string, std::string> tree;
  for (const auto& t : release.tasks()) tree[t.id()] = t.content_hash();
  const TaskDiff diff = DiffTasks(previous, tree);
  absl::StrAppend(&out, release.tasks_size(), " tasks; since ", previous->name(), ":\n\n");
  if (!diff.changed.empty()) absl::StrAppend(&out, "- changed: ", Backticked(diff.changed), "\n");
  if (!diff.added.empty()) absl::StrAppend(&out, "- added: ", Backticked(diff.added), "\n");
  if (!diff.removed.empty()) absl::StrAppend(&out, "- removed: ", Backticked(diff.removed), "\n");
  if (diff.empty()) absl::StrAppend(&out, "- no task changed\n");
  return out;
}

std::string AddChangelogSection(const std::string& changelog, const std::string& suite, const std::string& section,
                                const std::string& replace) {
  std::string text = changelog;
  if (text.empty()) {
    text = absl::StrCat("# ", suite,
                        ": changelog\n\n"
                        "Every release of the suite, newest first. `releases.textproto` lists the tasks of each\n"
                        "release with their content hashes; `tools/release cut` adds a release's section here,\n"
                        "and its author says under it why each task changed.\n");
  }
  if (!text.empty() && text.back() != '\n') text.push_back('\n');
  if (!replace.empty()) {
    const size_t at = HeadingOf(text, replace);
    if (at != std::string::npos) {
      const size_t end = NextHeading(text, at + 1);
      return absl::StrCat(text.substr(0, at), section, end < text.size() ? "\n" : "", text.substr(end));
    }
  }
  const size_t first = NextHeading(text, 0);
  if (first == text.size()) return absl::StrCat(text, "\n", section);
  return absl::StrCat(text.substr(0, first), section, "\n", text.substr(first));
}

bool HasChangelogHeading(const std::string& changelog, const std::string& name) {
  return HeadingOf(changelog, name) != std::string::npos;
}

absl::StatusOr<SuiteCheck> CheckSuite(const std::string& suite_dir) {
  const std::string dir = SuiteDir(suite_dir);
  auto releases = LoadReleases(dir);
  if (!releases.ok()) {
    if (absl::IsNotFound(releases.status())) {
      return absl::NotFoundError(absl::StrCat(releases.status().message(), "; cut the first release with: ",
                                              "bazel run //tools:release -- cut --suite=", dir,
                                              " --name=1.0 --summary=\"...\""));
    }
    return releases.status();
  }
  if (releases->releases_size() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, "/", kReleasesFile, ": releases: the manifest holds no release"));
  }
  auto tree = TreeTaskHashes(dir);
  if (!tree.ok()) return tree.status();
  SuiteCheck check;
  check.suite_dir = dir;
  const Release& newest = releases->releases(releases->releases_size() - 1);
  check.release = newest.name();
  check.release_tasks = newest.tasks_size();
  check.diff = DiffTasks(&newest, *tree);
  const std::string changelog_path = absl::StrCat(dir, "/", kChangelogFile);
  std::string changelog;
  if (IsRegularFile(changelog_path)) {
    auto text = ReadFile(changelog_path);
    if (!text.ok()) return text.status();
    changelog = *std::move(text);
  }
  for (const auto& r : releases->releases()) {
    if (!HasChangelogHeading(changelog, r.name())) check.missing_changelog.push_back(r.name());
  }
  return check;
}

std::string CheckReport(const SuiteCheck& check) {
  if (check.ok()) {
    return absl::StrCat(check.suite_dir, ": OK, the tasks equal release ", check.release, " (", check.release_tasks,
                        " tasks)\n");
  }
  std::string out;
  if (!check.diff.empty()) {
    absl::StrAppend(&out, check.suite_dir, ": FAILED, the tasks differ from release ", check.release, " (",
                    check.release_tasks, " tasks) in ", kReleasesFile, ":\n");
    if (!check.diff.changed.empty()) {
      absl::StrAppend(&out, "  changed (", check.diff.changed.size(), "): ", absl::StrJoin(check.diff.changed, ", "),
                      "\n");
    }
    if (!check.diff.added.empty()) {
      absl::StrAppend(&out, "  added (", check.diff.added.size(), "): ", absl::StrJoin(check.diff.added, ", "), "\n");
    }
    if (!check.diff.removed.empty()) {
      absl::StrAppend(&out, "  removed (", check.diff.removed.size(), "): ", absl::StrJoin(check.diff.removed, ", "),
                      "\n");
    }
    std::string next = NextReleaseName(check.release);
    if (next.empty()) next = "NAME";
    absl::StrAppend(&out, "  to release them: bazel run //tools:release -- cut --suite=", check.suite_dir,
                    " --name=", next, " --summary=\"...\"\n  then say in ", check.suite_dir, "/", kChangelogFile,
                    " why each task changed\n");
  }
  if (!check.missing_changelog.empty()) {
    absl::StrAppend(&out, check.suite_dir, ": FAILED, ", check.suite_dir, "/", kChangelogFile,
                    " has no heading for release(s) ", absl::StrJoin(check.missing_changelog, ", "),
                    " (a line \"## <name> (<date>)\")\n");
  }
  return out;
}

absl::StatusOr<Release> CutRelease(const CutOptions& options) {
  const std::string dir = SuiteDir(options.suite_dir);
  const std::string manifest_path = absl::StrCat(dir, "/", kReleasesFile);
  const std::string changelog_path = absl::StrCat(dir, "/", kChangelogFile);
  if (!RE2::FullMatch(options.date, R"(\d{4}-\d{2}-\d{2})")) {
    return absl::InvalidArgumentError(absl::StrCat("--date: '", options.date, "' is not YYYY-MM-DD"));
  }
  if (!options.amend && options.name.empty()) return absl::InvalidArgumentError("--name is required");
  if (!options.amend && options.summary.empty()) return absl::InvalidArgumentError("--summary is required");

  SuiteReleases releases;
  auto loaded = LoadReleases(dir);
  if (loaded.ok()) {
    releases = *std::move(loaded);
  } else if (absl::IsNotFound(loaded.status())) {
    releases.set_suite(BaseName(std::filesystem::absolute(dir).lexically_normal().string()));
  } else {
    return loaded.status();
  }
  auto tree = TreeTaskHashes(dir);
  if (!tree.ok()) return tree.status();
  std::string changelog;
  if (IsRegularFile(changelog_path)) {
    auto text = ReadFile(changelog_path);
    if (!text.ok()) return text.status();
    changelog = *std::move(text);
  }

  std::string name = options.name, summary = options.summary, replaced;
  if (options.amend) {
    if (releases.releases_size() == 0) {
      return absl::FailedPreconditionError(absl::StrCat(manifest_path, ": no release to amend"));
    }
    const Release& old = releases.releases(releases.releases_size() - 1);
    replaced = old.name();
    if (name.empty()) name = old.name();
    if (summary.empty()) summary = old.summary();
    releases.mutable_releases()->RemoveLast();
  }
  for (int r = 0; r < releases.releases_size(); ++r) {
    if (releases.releases(r).name() == name) {
      return absl::FailedPreconditionError(absl::StrCat(manifest_path, ": releases[", r, "].name: release '", name,
                                                        "' exists; choose another --name"));
    }
  }
  const Release* previous = releases.releases_size() > 0 ? &releases.releases(releases.releases_size() - 1) : nullptr;
  if (!options.amend && previous != nullptr && DiffTasks(previous, *tree).empty()) {
    return absl::FailedPreconditionError(absl::StrCat("nothing to release: the tasks of ", dir, " equal release ",
                                                      previous->name(), " in ", manifest_path));
  }
  if (name != replaced && HasChangelogHeading(changelog, name)) {
    return absl::FailedPreconditionError(absl::StrCat(changelog_path, " already has a section '## ", name,
                                                      "'; remove it or choose another --name"));
  }
  Release release = MakeRelease(name, options.date, summary, *tree);
  const std::string section = ChangelogSection(release, previous);
  *releases.add_releases() = release;
  const std::string text = FormatReleases(releases);
  // What is written must read back (dates in order, names unique, hashes well formed).
  if (auto check = ParseReleases(text, manifest_path); !check.ok()) return check.status();
  if (auto s = WriteFileAtomically(manifest_path, text); !s.ok()) return s;
  if (auto s = WriteFileAtomically(changelog_path, AddChangelogSection(changelog, releases.suite(), section, replaced));
      !s.ok()) {
    return s;
  }
  return release;
}

}  // namespace tritonbench
