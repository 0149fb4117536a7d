// merge_runs: puts the shards of a run (evaluate/run_config --shard=I/N) back together
// into one run folder, or says where they stand (harness/shards.h).
//
//   merge_runs --out=RUN RUN/shards       merges every shard found under RUN/shards into RUN
//   merge_runs --status [--count=N] RUN/shards
//       one line per shard (finished, unfinished with its missing tasks, missing), then
//       "unfinished: 1,3" or "all N shards finished"
//   merge_runs --out=RUN --count=N --wait_s=60 RUN/shards
//       waits, looking every 60 s, until all N shards are finished, then merges (a
//       Kubernetes merge Job started beside the shards' Job)
//
// A path is a shard's run folder or a folder whose subfolders are.
//
// Exit status: 0 merged (all finished); 1 some shard missing or unfinished (nothing
// written: finish them with the same command and merge again); 2 bad usage, shards that
// are not of one run, or a --out that holds a run.

#include <cstdlib>
#include <chrono>
#include <iostream>
#include <thread>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/cli.h"
#include "harness/shards.h"

ABSL_FLAG(std::string, out, "", "Run folder to write the merged run into (RUN, beside RUN/shards)");
ABSL_FLAG(bool, status, false, "Only say where each shard stands");
ABSL_FLAG(int32_t, count, 0, "The number of shards expected (needed before any shard started)");
ABSL_FLAG(int32_t, wait_s, 0,
          "With --out: wait until every shard is finished, looking every this many seconds, then merge");

namespace tritonbench {
namespace {

int Fail(const absl::Status& status) { return ReportError("merge_runs", status, 2); }

int Run(const std::vector<std::string>& paths) {
  if (paths.empty()) return Fail(absl::InvalidArgumentError("give the shards' folder (RUN/shards); see --help"));
  if (absl::GetFlag(FLAGS_status) == !absl::GetFlag(FLAGS_out).empty()) {
    return Fail(absl::InvalidArgumentError("give either --out=RUN (merge) or --status"));
  }
  const int wait_s = absl::GetFlag(FLAGS_wait_s);
  if (wait_s < 0 || (wait_s > 0 && absl::GetFlag(FLAGS_status))) {
    return Fail(absl::InvalidArgumentError("--wait_s is a positive number of seconds, for a merge"));
  }
  auto status = ReadShards(paths, absl::GetFlag(FLAGS_count));
  // Waiting: shards not started yet are missing; shards of another run are an error.
  while (wait_s > 0 && (absl::IsNotFound(status.status()) || (status.ok() && !status->Unfinished().empty()))) {
    std::cerr << "merge_runs: "
              << (status.ok() ? absl::StrCat(status->Unfinished().size(), " of ", status->count,
                                             " shard(s) not finished")
                              : std::string("no shard started"))
              << "; looking again in " << wait_s << " s\n";
    std::this_thread::sleep_for(std::chrono::seconds(wait_s));
    status = ReadShards(paths, absl::GetFlag(FLAGS_count));
  }
  if (!status.ok()) return Fail(status.status());
  std::cout << status->Describe();
  const std::vector<int> unfinished = status->Unfinished();
  if (!unfinished.empty()) {
    std::cout << "unfinished: " << absl::StrJoin(unfinished, ",") << "\n";
    if (!absl::GetFlag(FLAGS_status)) {
      std::cerr << "merge_runs: nothing merged: " << unfinished.size() << " of " << status->count
                << " shard(s) missing or unfinished; run them again with the same command (they resume), then "
                   "merge\n";
    }
    return 1;
  }
  std::cout << "all " << status->count << " shards finished\n";
  if (absl::GetFlag(FLAGS_status)) return 0;
  auto merged = MergeShards(paths, absl::GetFlag(FLAGS_out));
  if (!merged.ok()) return Fail(merged.status());
  std::cerr << "merged " << status->count << " shards into " << absl::GetFlag(FLAGS_out) << "/run_record.json ("
            << merged->execution_ok() << " of " << merged->tasks_total() << " correct, " << merged->skipped()
            << " skipped; release " << merged->release() << ")\n";
  return 0;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Merges the shards of a run into one run folder.\n"
      "  merge_runs --out=RUN RUN/shards\n"
      "  merge_runs --status [--count=N] RUN/shards");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  // Paths are relative to where the user stood, also under `bazel run`.
  if (!tritonbench::EnterUserDirectory("merge_runs")) return 2;
  return tritonbench::Run(std::vector<std::string>(positional.begin() + 1, positional.end()));
}
