// release: the suites' releases (suites/<suite>/releases.textproto, CHANGELOG.md).
//
//   release check [--suites=suites | --suite=suites/rocm]
//       compares every suite's task folders with its newest release and checks that
//       CHANGELOG.md has a heading for every release; names each task changed, added or
//       removed since, and the command that cuts the next release.
//   release cut --suite=suites/rocm --name=1.1 --summary="..." [--date=YYYY-MM-DD]
//       appends a release of the suite's tasks as they are now to its manifest (made if
//       absent) and adds its section to CHANGELOG.md, where the author then says why each
//       task changed. --amend re-cuts the newest release instead (one not yet in use).
//
// Exit status: 0 in order / cut; 1 a suite differs from its release, lacks a manifest
// or a changelog heading, or the cut was refused; 2 bad usage.

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cli.h"
#include "common/files.h"
#include "harness/release.h"
#include "harness/release_cut.h"
#include "harness/suite.h"

ABSL_FLAG(std::string, suites, "suites", "check: the folder holding the suite folders");
ABSL_FLAG(std::string, suite, "", "cut: the suite folder (check: only this suite)");
ABSL_FLAG(std::string, name, "", "cut: the new release's name, e.g. 1.1");
ABSL_FLAG(std::string, summary, "", "cut: one line saying what the release is");
ABSL_FLAG(std::string, date, "", "cut: YYYY-MM-DD; default today (UTC)");
ABSL_FLAG(bool, amend, false,
          "cut: replace the newest release (and its changelog section) with the tasks as they are now; "
          "only for a release nobody has measured yet");

namespace tritonbench {
namespace {

int Check() {
  std::vector<std::string> suite_dirs;
  if (!absl::GetFlag(FLAGS_suite).empty()) {
    suite_dirs.push_back(absl::GetFlag(FLAGS_suite));
  } else {
    const std::string root = absl::GetFlag(FLAGS_suites);
    if (!IsDirectory(root)) {
      std::cerr << "release check: " << root << " is not a folder (--suites)\n";
      return 2;
    }
    std::vector<std::string> children;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      if (entry.is_directory()) children.push_back(entry.path().string());
    }
    std::sort(children.begin(), children.end());
    for (const auto& dir : children) {
      if (ListTaskDirs(dir).ok()) suite_dirs.push_back(dir);
    }
    if (suite_dirs.empty()) {
      std::cerr << "release check: " << root << " holds no suite folder with tasks\n";
      return 2;
    }
  }
  bool all_ok = true;
  for (const auto& dir : suite_dirs) {
    auto check = CheckSuite(dir);
    if (!check.ok()) {
      std::cout << dir << ": FAILED, " << check.status().message() << "\n";
      all_ok = false;
      continue;
    }
    std::cout << CheckReport(*check);
    all_ok = all_ok && check->ok();
  }
  return all_ok ? 0 : 1;
}

int Cut() {
  CutOptions options;
  options.suite_dir = absl::GetFlag(FLAGS_suite);
  options.name = absl::GetFlag(FLAGS_name);
  options.summary = absl::GetFlag(FLAGS_summary);
  options.date = absl::GetFlag(FLAGS_date).empty() ? absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone())
                                                   : absl::GetFlag(FLAGS_date);
  options.amend = absl::GetFlag(FLAGS_amend);
  if (options.suite_dir.empty()) {
    std::cerr << "release cut: --suite is required\n";
    return 2;
  }
  auto release = CutRelease(options);
  if (!release.ok()) {
    std::cerr << "release cut: " << release.status().message() << "\n";
    return absl::IsInvalidArgument(release.status()) ? 2 : 1;
  }
  const std::string dir = options.suite_dir;
  std::cout << (options.amend ? "amended" : "cut") << " release " << release->name() << " of " << dir << " ("
            << release->tasks_size() << " tasks, manifest " << release->manifest_hash().substr(0, 12) << ")\n"
            << "  wrote " << dir << "/" << kReleasesFile << " and " << dir << "/" << kChangelogFile
            << ": say there why each task changed\n";
  return 0;
}

int Main(const std::vector<char*>& args) {
  const std::string command = args.size() > 1 ? args[1] : "check";
  if (args.size() <= 2 && command == "check") return Check();
  if (args.size() == 2 && command == "cut") return Cut();
  std::cerr << absl::ProgramUsageMessage() << "\n";
  return 2;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "release check [--suites=suites | --suite=DIR]\n"
      "release cut --suite=DIR --name=1.1 --summary=TEXT [--date=YYYY-MM-DD] [--amend]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // Paths are relative to where the user stood, also under `bazel run`.
  if (!tritonbench::EnterUserDirectory("release")) return 2;
  return tritonbench::Main(args);
}
