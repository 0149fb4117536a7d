#include "leaderboard/versions.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "leaderboard/html.h"
#include "leaderboard/json_io.h"
#include "leaderboard/markdown.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

std::string VersionName(int version) { return absl::StrFormat("%04d", version); }

}  // namespace

std::string LinkBase(const std::string& dir, const std::string& working_dir) {
  const fs::path cwd = fs::path(working_dir).lexically_normal();
  fs::path target = fs::path(dir).is_absolute() ? fs::path(dir) : cwd / dir;
  target = target.lexically_normal();
  const fs::path forth = target.lexically_relative(cwd);
  if (!forth.empty() && *forth.begin() != "..") {
    const std::string back = cwd.lexically_relative(target).string();
    return back == "." ? "" : back + "/";
  }
  std::string base = cwd.string();
  return base.back() == '/' ? base : base + "/";
}

absl::Status WriteLeaderboardFiles(const Leaderboard& board, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  if (auto s = WriteFile(dir + "/leaderboard.md", RenderMarkdown(board)); !s.ok()) return s;
  if (auto s = WriteFile(dir + "/leaderboard.json", LeaderboardToJson(board) + "\n"); !s.ok()) return s;
  const std::string cwd = fs::current_path(ec).string();
  return WriteFile(dir + "/leaderboard.html", RenderHtml(board, ec ? "" : LinkBase(dir, cwd)));
}

int LatestVersion(const std::string& versions_dir) {
  int latest = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(versions_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    int n = 0;
    if (name.size() == 4 && it->is_directory() && absl::SimpleAtoi(name, &n)) latest = std::max(latest, n);
  }
  return latest;
}

absl::StatusOr<std::string> Publish(Leaderboard board, const PublishOptions& options) {
  const int version = options.version > 0 ? options.version : LatestVersion(options.versions_dir) + 1;
  if (version > 9999) return absl::OutOfRangeError("version numbers end at 9999");
  const std::string dir = absl::StrCat(options.versions_dir, "/", VersionName(version));
  if (fs::exists(dir)) {
    return absl::AlreadyExistsError(absl::StrCat("leaderboard version ", VersionName(version), " already exists at ",
                                                 dir, "; published versions are never overwritten"));
  }
  board.set_version(version);
  board.set_published_at(options.date);
  // Written beside, then renamed into place: a version folder is complete or absent.
  const std::string tmp = absl::StrCat(options.versions_dir, "/.", VersionName(version), ".partial");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (auto s = WriteLeaderboardFiles(board, tmp); !s.ok()) return s;
  fs::rename(tmp, dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot rename ", tmp, " to ", dir, ": ", ec.message()));

  int measured = 0, reported = 0;
  for (const auto& row : board.rows()) (row.kind() == "reported" ? reported : measured)++;
  const std::string changelog = options.versions_dir + "/CHANGELOG.md";
  const bool fresh = !IsRegularFile(changelog);
  std::ofstream out(changelog, std::ios::app);
  if (fresh) {
    out << "# Leaderboard versions\n\nOne line per published version (`tools/leaderboard publish`); "
           "a version's folder is never rewritten.\n\n| version | date | rows | run records | note |\n"
           "|---|---|---|---|---|\n";
  }
  out << "| [" << VersionName(version) << "](" << VersionName(version) << "/leaderboard.md) | " << options.date
      << " | " << measured << " measured, " << reported << " reported | " << board.records_loaded() << " counted, "
      << board.skipped_size() << " skipped | " << (options.note.empty() ? "-" : options.note) << " |\n";
  out.flush();
  if (!out) return absl::InternalError(absl::StrCat("cannot append to ", changelog));
  return dir;
}

absl::StatusOr<Leaderboard> LoadLeaderboard(const std::string& ref, const std::string& versions_dir) {
  std::string path = ref;
  int n = 0;
  if (!IsRegularFile(ref) && !IsDirectory(ref) && absl::SimpleAtoi(ref, &n) && n > 0) {
    path = absl::StrCat(versions_dir, "/", VersionName(n));
  }
  if (IsDirectory(path)) path += "/leaderboard.json";
  auto json = ReadFile(path);
  if (!json.ok()) return absl::NotFoundError(absl::StrCat("no leaderboard at ", path, " (from '", ref, "')"));
  return LeaderboardFromJson(*json, path);
}

}  // namespace tritonbench
