// leaderboard: aggregates run records into the leaderboard (leaderboard/README.md).
//
//   leaderboard build   [--runs=results/runs] [--out_dir=DIR]
//       writes leaderboard.md, .json and .html into DIR (or prints the Markdown);
//   leaderboard publish [--runs=results/runs] [--versions_dir=leaderboard/versions] --note=TEXT
//       writes the next immutable version NNNN/ and its changelog line;
//   leaderboard diff A B
//       rows that appeared, disappeared or moved between two leaderboards (version
//       numbers, version folders or leaderboard.json files).
//   leaderboard verify RUN_DIR [--tasks=a,b] [--max_tasks=N] [--device=...]
//       checks a submitted run folder (leaderboard/verify.h) and prints a verdict;
//       exit 0 only if every check passed.
//
// Records that cannot be trusted are skipped and listed on stderr with their paths.
// Exit status: 0 done, 1 refused or failed (e.g. the version exists, a run failed
// verification), 2 bad usage.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cli.h"
#include "common/files.h"
#include "leaderboard/aggregate.h"
#include "leaderboard/catalog.h"
#include "leaderboard/diff.h"
#include "leaderboard/markdown.h"
#include "leaderboard/reported.h"
#include "leaderboard/run_loader.h"
#include "leaderboard/verify.h"
#include "leaderboard/versions.h"

ABSL_FLAG(std::vector<std::string>, runs, {"results/runs"},
          "Run folders, or folders holding run folders, comma-separated");
ABSL_FLAG(std::string, reported, "leaderboard/reported.textproto",
          "Published figures shown as 'reported' rows; empty for none");
ABSL_FLAG(std::string, suites, "suites",
          "The suites folder: each suite's releases.textproto and tasks (leaderboard/catalog.h); build and publish "
          "take several, comma-separated (an import's, tools/import_upstream, beside this project's); "
          "empty or missing: no releases, every result unreleased");
ABSL_FLAG(std::string, out_dir, "", "build: folder for leaderboard.md/.json/.html; default: Markdown on stdout");
ABSL_FLAG(std::string, versions_dir, "leaderboard/versions", "Published versions and CHANGELOG.md");
ABSL_FLAG(std::string, note, "", "publish: the changelog line");
ABSL_FLAG(std::string, date, "", "publish: YYYY-MM-DD; default today (UTC)");
ABSL_FLAG(int32_t, version, 0, "publish: version number; default the next one");
ABSL_FLAG(int32_t, bootstrap_samples, 2000, "Bootstrap resamples for the speedup intervals");
ABSL_FLAG(uint64_t, seed, 20261125, "Bootstrap seed (the intervals are deterministic given it)");
ABSL_FLAG(std::vector<std::string>, tasks, {}, "verify: replay and re-judge only these tasks");
ABSL_FLAG(int32_t, max_tasks, 0, "verify: replay and re-judge at most N tasks (in id order); 0: all");
ABSL_FLAG(std::string, device, "auto", "verify: auto, gpu or cpu (Triton interpreter: correctness only)");
ABSL_FLAG(std::string, python, "", "verify: Python with torch and triton; default $TB_PYTHON, else python3");
ABSL_FLAG(std::string, worker, "harness/python/worker.py", "verify: the harness worker");
ABSL_FLAG(std::string, root, "", "verify: folder holding agent/configs, prompts, knowledge, corpus; default here");
ABSL_FLAG(std::string, scratch_dir, "",
          "verify: root of its scratch folder, removed at the end (or by the next runner if killed); default "
          "$TMPDIR or /tmp; not under /dev/shm, where the kernels it re-judges may write");
ABSL_FLAG(int32_t, jobs, 1, "verify: evaluations at once on the CPU");
ABSL_FLAG(double, speedup_tolerance, 0.15,
          "verify: allowed relative difference of a re-judged speedup where the record has no interval");
ABSL_FLAG(double, timeout_s, 0, "verify: per-evaluation wall-clock limit; 0: the record's");
ABSL_FLAG(int64_t, memory_mb, 0, "verify: per-evaluation memory limit; 0: the record's");
ABSL_FLAG(std::vector<std::string>, checks, {},
          "verify: checks beside the schema, comma-separated: release, transcripts, rejudge; default all");

namespace tritonbench {
namespace {

int Fail(const absl::Status& status) { return ReportError("leaderboard", status, 1); }

absl::StatusOr<Leaderboard> Build() {
  std::vector<std::string> roots;
  for (const auto& r : absl::GetFlag(FLAGS_runs)) roots.push_back(r);
  auto loaded = LoadRuns(roots);
  if (!loaded.ok()) return loaded.status();
  std::vector<Row> reported;
  if (!absl::GetFlag(FLAGS_reported).empty()) {
    auto rows = LoadReportedRows(absl::GetFlag(FLAGS_reported));
    if (!rows.ok()) return rows.status();
    reported = *std::move(rows);
  }
  AggregateOptions options;
  options.bootstrap_samples = absl::GetFlag(FLAGS_bootstrap_samples);
  options.bootstrap_seed = absl::GetFlag(FLAGS_seed);
  std::vector<SuiteCatalog> catalogs;
  std::vector<std::string> suites_roots;
  for (const auto& root : absl::StrSplit(absl::GetFlag(FLAGS_suites), ',', absl::SkipEmpty())) {
    if (IsDirectory(std::string(root))) {
      suites_roots.emplace_back(root);
    } else {
      std::cerr << "leaderboard: no suite releases: '" << root << "' is not a folder (--suites); its suites' "
                << "results are unreleased\n";
    }
  }
  if (!suites_roots.empty()) {
    auto read = ReadSuiteCatalogs(suites_roots);
    if (!read.ok()) return read.status();
    catalogs = *std::move(read);
  }
  Leaderboard board = BuildLeaderboard(*loaded, catalogs, reported, options);
  int unreleased = 0;
  for (const auto& u : board.unreleased()) unreleased += u.results();
  std::cerr << "leaderboard: " << board.records_loaded() << " run records counted, " << board.skipped_size()
            << " skipped, " << unreleased << " results unreleased\n";
  for (const auto& s : board.skipped()) std::cerr << "  skipped " << s.path() << ": " << s.reason() << "\n";
  for (const auto& u : board.unreleased()) {
    std::cerr << "  unreleased " << u.path() << ": " << u.results() << " results: " << u.reason() << "\n";
  }
  return board;
}

int Verify(const std::string& run_dir) {
  VerifyOptions options;
  options.suites_dir = absl::GetFlag(FLAGS_suites);
  options.root = absl::GetFlag(FLAGS_root);
  options.python = PythonInterpreter(absl::GetFlag(FLAGS_python));
  options.worker_path = absl::GetFlag(FLAGS_worker);
  options.scratch_dir = absl::GetFlag(FLAGS_scratch_dir);
  options.device = absl::GetFlag(FLAGS_device);
  options.tasks = absl::GetFlag(FLAGS_tasks);
  options.max_tasks = absl::GetFlag(FLAGS_max_tasks);
  options.jobs = absl::GetFlag(FLAGS_jobs);
  options.speedup_tolerance = absl::GetFlag(FLAGS_speedup_tolerance);
  options.timeout_s = absl::GetFlag(FLAGS_timeout_s);
  options.memory_mb = absl::GetFlag(FLAGS_memory_mb);
  options.checks = absl::GetFlag(FLAGS_checks);
  auto verdict = VerifyRun(run_dir, options);
  if (!verdict.ok()) {
    std::cerr << "leaderboard verify: " << verdict.status().message() << "\n";
    return 2;
  }
  std::cout << RenderVerdict(*verdict);
  return verdict->passed() ? 0 : 1;
}

int Main(const std::vector<char*>& args) {
  const std::string command = args.size() > 1 ? args[1] : "";
  if (command == "build" && args.size() == 2) {
    auto board = Build();
    if (!board.ok()) return Fail(board.status());
    const std::string out = absl::GetFlag(FLAGS_out_dir);
    if (out.empty()) {
      std::cout << RenderMarkdown(*board);
      return 0;
    }
    if (auto s = WriteLeaderboardFiles(*board, out); !s.ok()) return Fail(s);
    std::cerr << "leaderboard: wrote " << out << "/leaderboard.{md,json,html}\n";
    return 0;
  }
  if (command == "publish" && args.size() == 2) {
    if (absl::GetFlag(FLAGS_note).empty()) {
      std::cerr << "leaderboard publish: --note is required (it becomes the changelog line)\n";
      return 2;
    }
    auto board = Build();
    if (!board.ok()) return Fail(board.status());
    PublishOptions options;
    options.versions_dir = absl::GetFlag(FLAGS_versions_dir);
    options.note = absl::GetFlag(FLAGS_note);
    options.date = absl::GetFlag(FLAGS_date).empty()
                       ? absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone())
                       : absl::GetFlag(FLAGS_date);
    options.version = absl::GetFlag(FLAGS_version);
    auto dir = Publish(*std::move(board), options);
    if (!dir.ok()) return Fail(dir.status());
    std::cout << "published " << *dir << "\n";
    return 0;
  }
  if (command == "diff" && args.size() == 4) {
    const std::string versions = absl::GetFlag(FLAGS_versions_dir);
    const std::string a_ref = args[2], b_ref = args[3];
    auto a = LoadLeaderboard(a_ref, versions);
    if (!a.ok()) return Fail(a.status());
    auto b = LoadLeaderboard(b_ref, versions);
    if (!b.ok()) return Fail(b.status());
    std::cout << RenderDiff(DiffLeaderboards(*a, *b), a_ref, b_ref);
    return 0;
  }
  if (command == "verify" && args.size() == 3) return Verify(args[2]);
  std::cerr << absl::ProgramUsageMessage() << "\n";
  return 2;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "leaderboard build [--runs=...] [--out_dir=DIR] | publish --note=TEXT [--versions_dir=...] | diff A B | "
      "verify RUN_DIR [--tasks=...] [--max_tasks=N] [--device=...]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // Paths on the command line are relative to where the user stood, also under `bazel
  // run`: work from there, so that the run folders in the leaderboard read as spelled.
  if (!tritonbench::EnterUserDirectory("leaderboard")) return 2;
  return tritonbench::Main(args);
}
