// Verifies a submitted run folder before its numbers are trusted (`leaderboard verify`):
//
//   schema       run_record.json and results.jsonl parse and agree (the same tasks,
//                the same results, the counts); for LLM runs generations.jsonl too;
//   release      the record's release is in the suite's manifest (records older than
//                the field: the release their task_content_hash values name), every
//                result's task_content_hash is that release's hash of its task, and so
//                is the tree's task folder that will be re-judged;
//   transcripts  LLM runs: replaying transcripts/ with the configuration that ran (no
//                key, no network) reproduces every candidate and raw answer under
//                candidates/<task>/ byte for byte;
//   re-judge     every kept kernel (the ground truth's kernel.py, or the candidate the
//                result names, its sha256 checked) evaluated again here: the
//                correctness verdict must equal the recorded one, and on the GPU the
//                record was measured on, the speedup must fall within the recorded
//                interval (or within a relative tolerance).
//
// Each problem names the file and the field at fault. Nothing is written into the run
// folder; replays and evaluations work in a temporary folder that is removed.
#ifndef TRITONBENCH_LEADERBOARD_VERIFY_H_
#define TRITONBENCH_LEADERBOARD_VERIFY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/proto/evaluation.pb.h"

namespace tritonbench {

struct VerifyOptions {
  // The suites the run's tasks are read from (suites/<suite>/<task>, releases.textproto).
  std::string suites_dir = "suites";
  // Where the configurations (agent/configs), prompts, knowledge and corpus they name
  // are found, for the replay; "" = the working folder.
  std::string root;
  // Python with torch and triton, and the harness worker.
  std::string python = "python3";
  std::string worker_path = "harness/python/worker.py";
  // Root of the runner's scratch folder (harness/scratch.h); "" = $TMPDIR, else /tmp.
  std::string scratch_dir;
  // auto, gpu or cpu.
  std::string device = "auto";
  // Replay and re-judge only these tasks (empty: all), and at most this many of them
  // (0: no limit), taken in id order.
  std::vector<std::string> tasks;
  int max_tasks = 0;
  // Evaluations at once (CPU; on a GPU re-judging is one at a time).
  int jobs = 1;
  // Allowed |re-judged / recorded - 1| of a speedup where the record has no interval.
  double speedup_tolerance = 0.15;
  // Per-evaluation limits; 0: the record's settings.
  double timeout_s = 0;
  int64_t memory_mb = 0;
  // Which checks to run besides the schema (which reads the folder): release,
  // transcripts, rejudge (empty: all).
  std::vector<std::string> checks;
};

enum class CheckState { kPassed, kFailed, kSkipped, kNotApplicable };

struct CheckResult {
  std::string name;
  CheckState state = CheckState::kPassed;
  // What was checked, in one line.
  std::string summary;
  // One line per task or problem; problems name the file and the field.
  std::vector<std::string> details;
};

struct Verdict {
  std::string run_dir;
  // What the run is: configuration, suite, results, hardware.
  std::string run;
  std::vector<CheckResult> checks;
  // No check failed.
  bool passed() const;
};

// Runs the checks on `run_dir`. A folder that cannot be read as a run (no record, a
// record or line that does not parse) gives a verdict whose schema check failed and
// whose other checks did not run. Errors only for bad options (a --tasks entry that
// is not a task of the run, an unknown check) or when the verifier itself cannot run
// (no temporary folder, no worker).
absl::StatusOr<Verdict> VerifyRun(const std::string& run_dir, const VerifyOptions& options);

// Whether a re-judged speedup (`now`) agrees with the recorded one: inside
// [speedup_ci_low, speedup_ci_high] when the record has that interval, else within
// `tolerance` of it, relative; false when `now` was not timed. `expected` receives the
// allowed range as text.
bool SpeedupAgrees(const EvaluationResult& recorded, const EvaluationResult& now, double tolerance,
                   std::string* expected);

// The verdict as a reviewer pastes it: the run, each check OK / FAILED / SKIPPED /
// n/a with its summary and details, and a last line "VERDICT: PASSED" or "VERDICT: FAILED".
std::string RenderVerdict(const Verdict& verdict);

}  // namespace tritonbench

#endif  // TRITONBENCH_LEADERBOARD_VERIFY_H_
