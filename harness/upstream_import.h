// Importing GEAK-eval's own tasks from a user's checkout of it (AMD-AGI/GEAK-eval), so
// that `evaluate`, `run_config` and the leaderboard run the published suites exactly:
// the upstream task files, instructions and performance inputs, judged by the harness
// under GEAK-eval's rules and under this project's (harness/python/upstream_judge.py).
// Nothing upstream is part of this repository; the import writes into a folder the user
// names (with a .gitignore that ignores it all).
//
// The checkout's layout (the paper-time commit a85e657 has the package tb_eval/; later
// commits renamed it geak_eval/ and dropped the instruction files, which can then be
// given from elsewhere):
//   <pkg>/data/TritonBench/data/TritonBench_G_v1/<file>.py        TritonBench-revised tasks
//   <pkg>/data/TritonBench/data/TritonBench_G_comp_alpac_v1_fixed_with_difficulty.json
//       [{instruction, input, output, file, difficulty}]
//   <pkg>/data/TritonBench/performance_metrics/perf_G/golden_metrics/<file>_perf.py
//   <pkg>/data/ROCm/data/ROCm_v1/<file>.py                          ROCm tasks
//   <pkg>/data/ROCm/data/ROCm_eval_complex_instruct_v1.json
//       [{file, target_kernel_name, instruction, label}]
// A task file is the golden kernel code, a line of exactly 146 '#', then the test code,
// which sets `result_gold`.
//
// Each suite becomes <out>/geak_tbg or <out>/geak_rocm: one task folder per instruction
// whose file is sound, named by the file's stem (add_example.py -> add_example), with
// task.textproto (TaskSpec with `upstream`: the instruction verbatim, the upstream
// file, commit and SHA-256s, GEAK-eval's tolerances, the same tolerances per floating
// dtype for the strict verdict; the category of this project's task of the same name
// where there is one), kernel.py (the code before the separator), upstream_test.py (the
// code after it) and, for TritonBench-revised, upstream_perf.py (its performance file,
// when there is one). A release is cut for the import (releases.textproto,
// CHANGELOG.md): "upstream-<commit>" (or "upstream-<hash of the tasks>" when the commit
// is unknown), so results name the upstream content they measured. Importing the same
// content again changes nothing; other content cuts a new release. Task folders of an
// earlier import that this one lacks are removed.
//
// Bad input never stops the other tasks: a task file without the separator or without
// result_gold, an instruction naming no file, a file no instruction names, a duplicate
// or malformed entry is skipped with the path and what was expected. A suite whose task
// folder or instruction file is missing is not imported (the other suite still is).
#ifndef TRITONBENCH_HARNESS_UPSTREAM_IMPORT_H_
#define TRITONBENCH_HARNESS_UPSTREAM_IMPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace tritonbench {

inline constexpr char kTbgSuite[] = "geak_tbg";
inline constexpr char kRocmSuite[] = "geak_rocm";

struct UpstreamImportOptions {
  // The GEAK-eval checkout (its root: the folder holding tb_eval/ or geak_eval/).
  std::string checkout;
  // Where the suites are written; created if absent.
  std::string out_dir;
  // Which suites: "tbg", "rocm".
  std::vector<std::string> suites = {"tbg", "rocm"};
  // Instruction files to use instead of the checkout's (for layouts without them).
  std::string tbg_instructions;
  std::string rocm_instructions;
  // The upstream commit; empty: read from the checkout's .git if it has one.
  std::string commit;
  // This project's suites folder, for the category of a task of the same name; empty
  // or missing: every task's category is "upstream".
  std::string our_suites;
  // The release's date, YYYY-MM-DD.
  std::string date;
};

struct SuiteImport {
  std::string suite;  // kTbgSuite or kRocmSuite
  std::string dir;    // <out_dir>/<suite>
  std::vector<std::string> imported;
  // (what, why) per task file or instruction entry left out.
  std::vector<std::pair<std::string, std::string>> skipped;
  // Tasks imported without performance inputs (no performance file).
  std::vector<std::string> without_performance;
  // The release the suite's tasks now match, and whether this import cut it.
  std::string release;
  bool new_release = false;
  // Why the suite could not be imported at all; empty when it was.
  std::string error;
};

struct UpstreamImport {
  std::string layout;  // "tb_eval" or "geak_eval"
  std::string commit;
  std::vector<SuiteImport> suites;
};

// Imports the suites (see above). Errors: a checkout at an unknown layout, an unknown
// suite name, a date not YYYY-MM-DD, an output folder that cannot be written; a suite
// that cannot be imported is reported in its SuiteImport instead.
absl::StatusOr<UpstreamImport> ImportUpstream(const UpstreamImportOptions& options);

// What the import did, per suite: counts, the release, every skip with its reason.
std::string ImportReport(const UpstreamImport& result);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_UPSTREAM_IMPORT_H_
