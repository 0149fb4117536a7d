// import_upstream: makes GEAK-eval's own tasks (from a checkout of AMD-AGI/GEAK-eval)
// runnable by evaluate, run_config and the leaderboard, as suites geak_tbg and geak_rocm
// in a folder you name (harness/upstream_import.h says what is written and why a task
// is left out; harness/python/upstream_judge.py how such a task is judged).
//
//   import_upstream --checkout=~/GEAK-eval --out=out/upstream
//   evaluate --suite=out/upstream/geak_tbg --out=results/runs/<id>
//   leaderboard build --suites=suites,out/upstream
//
// Prints, per suite, how many tasks were imported and skipped, and why each was skipped
// (also in <out>/import_report.txt). Exit status: 0 when every suite asked for was
// imported, 1 when one could not be (the others still are), 2 for bad usage or a
// checkout at an unknown layout.
#include <cstdlib>
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
#include "harness/upstream_import.h"

ABSL_FLAG(std::string, checkout, "", "The GEAK-eval checkout (the folder holding tb_eval/ or geak_eval/)");
ABSL_FLAG(std::string, out, "", "Folder for the imported suites (its own: a .gitignore of '*' goes into it)");
ABSL_FLAG(std::vector<std::string>, suites, std::vector<std::string>({"tbg", "rocm"}),
          "Suites to import, comma-separated: tbg (TritonBench-revised), rocm");
ABSL_FLAG(std::string, tbg_instructions, "",
          "TritonBench-revised instruction file to use instead of the checkout's (later commits lack it)");
ABSL_FLAG(std::string, rocm_instructions, "", "ROCm instruction file to use instead of the checkout's");
ABSL_FLAG(std::string, commit, "", "The upstream commit; default: read from the checkout's .git");
ABSL_FLAG(std::string, our_suites, "",
          "This project's suites folder, for the categories of tasks of the same name; default: suites/ of the "
          "workspace");
ABSL_FLAG(std::string, date, "", "The release's date, YYYY-MM-DD; default today (UTC)");

namespace tritonbench {
namespace {

int Run() {
  UpstreamImportOptions options;
  options.checkout = UserPath(absl::GetFlag(FLAGS_checkout));
  options.out_dir = UserPath(absl::GetFlag(FLAGS_out));
  if (options.checkout.empty() || options.out_dir.empty()) {
    std::cerr << "import_upstream: give --checkout=DIR and --out=DIR (see --help)\n";
    return 2;
  }
  options.suites = absl::GetFlag(FLAGS_suites);
  options.tbg_instructions = UserPath(absl::GetFlag(FLAGS_tbg_instructions));
  options.rocm_instructions = UserPath(absl::GetFlag(FLAGS_rocm_instructions));
  options.commit = absl::GetFlag(FLAGS_commit);
  options.our_suites = UserPath(absl::GetFlag(FLAGS_our_suites));
  if (options.our_suites.empty()) {
    const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY");
    options.our_suites = ws != nullptr ? absl::StrCat(ws, "/suites") : "suites";
  }
  options.date = absl::GetFlag(FLAGS_date).empty()
                     ? absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone())
                     : absl::GetFlag(FLAGS_date);
  auto result = ImportUpstream(options);
  if (!result.ok()) {
    std::cerr << "import_upstream: " << result.status().message() << "\n";
    return 2;
  }
  std::cout << ImportReport(*result);
  for (const auto& suite : result->suites) {
    if (!suite.error.empty()) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Imports GEAK-eval's own tasks from a checkout as suites geak_tbg and geak_rocm.\n"
      "  import_upstream --checkout=DIR --out=DIR [--suites=tbg,rocm] [--tbg_instructions=FILE]");
  absl::ParseCommandLine(argc, argv);
  return tritonbench::Run();
}
