#include "harness/evaluator.h"

#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/json.h"
#include "harness/limited_process.h"
#include "harness/scratch.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

// The worker sees only these variables from the runner's environment: enough to find
// the GPU and libraries, never an API key.
constexpr const char* kPassedThrough[] = {
    "PATH", "LD_LIBRARY_PATH", "PYTHONPATH", "CUDA_VISIBLE_DEVICES", "CUDA_HOME",
    "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "ROCM_PATH", "LANG",
};

std::string AbsolutePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return path;
  return absl::StrCat(cwd, "/", path);
}

// The last line of the worker's progress file: the stage it was in when it ended.
std::string LastStage(const std::string& progress_path) {
  std::istringstream lines(ReadFile(progress_path).value_or(""));
  std::string line, last = "start-up";
  while (std::getline(lines, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

absl::StatusOr<std::string> MakeScratch(const std::string& root, const std::string& prefix) {
  std::string pattern = absl::StrCat(root, "/", prefix, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a scratch folder under ", root));
  }
  return pattern;
}

// 128 random bits as hex: the token a worker's result must carry.
absl::StatusOr<std::string> RandomToken() {
  char bytes[16];
  FILE* f = fopen("/dev/urandom", "rb");
  const bool ok = f != nullptr && fread(bytes, 1, sizeof(bytes), f) == sizeof(bytes);
  if (f != nullptr) fclose(f);
  if (!ok) return absl::InternalError("cannot read /dev/urandom");
  return absl::BytesToHexString(absl::string_view(bytes, sizeof(bytes)));
}

std::vector<std::string> WorkerEnvironment(const std::string& scratch, const std::optional<GpuPin>& gpu) {
  std::vector<std::string> env;
  for (const char* name : kPassedThrough) {
    bool replaced = false;
    if (gpu) {
      for (const auto& n : gpu->unset) replaced |= n == name;
      for (const auto& [n, value] : gpu->set) replaced |= n == name;
    }
    if (replaced) continue;
    if (const char* value = getenv(name)) env.push_back(absl::StrCat(name, "=", value));
  }
  if (gpu) {
    for (const auto& [name, value] : gpu->set) env.push_back(absl::StrCat(name, "=", value));
  }
  env.push_back(absl::StrCat("HOME=", scratch));
  env.push_back(absl::StrCat("TMPDIR=", scratch));
  env.push_back("PYTHONDONTWRITEBYTECODE=1");
  env.push_back("PYTHONUNBUFFERED=1");
  env.push_back("PYTHONHASHSEED=0");
  // Compiled kernels are never shared between evaluations: a candidate could plant a
  // slow or wrong binary for the ground truth's kernels. (The candidate's process
  // moves its own cache into its private folder.)
  env.push_back(absl::StrCat("TRITON_CACHE_DIR=", scratch, "/triton-cache"));
  return env;
}

ProcessLimits LimitsFrom(const EvaluationSettings& s) {
  ProcessLimits limits;
  limits.timeout_seconds = s.timeout_seconds();
  limits.memory_limit_bytes = s.memory_limit_mb() << 20;
  limits.output_limit_bytes = s.output_limit_bytes();
  // The judge and the candidate exchange inputs and outputs as files in the scratch
  // folder; a performance case's may reach several GB (at 512 MiB, writing them fails
  // with an iostream error).
  limits.file_size_limit_bytes = 16LL << 30;
  return limits;
}

// A result for a worker that ended without writing one.
EvaluationResult ResultFromOutcome(const ProcessOutcome& outcome, const std::string& stage) {
  EvaluationResult result;
  if (outcome.timed_out) {
    result.set_failure_kind(TIMEOUT);
  } else if (outcome.memory_exceeded) {
    result.set_failure_kind(OUT_OF_MEMORY);
  } else {
    result.set_failure_kind(CRASH);
  }
  result.set_message(absl::StrCat("the worker ", outcome.Describe(), " during stage '", stage, "'"));
  return result;
}

}  // namespace

EvaluationSettings DefaultSettings() {
  EvaluationSettings s;
  s.set_device("auto");
  s.set_timeout_seconds(kDefaultTimeoutSeconds);
  s.set_memory_limit_mb(kDefaultMemoryLimitMb);
  s.set_output_limit_bytes(64 * 1024);
  s.set_warmup_ms(kDefaultWarmupMs);
  s.set_timing_repetitions(kDefaultTimingRepetitions);
  s.set_time_reference(false);
  s.set_flush_l2(true);
  return s;
}

Evaluator::Evaluator(EvaluatorOptions options) : options_(std::move(options)) {}

absl::StatusOr<EvaluationResult> Evaluator::Evaluate(const Task& task, const std::string& candidate_path,
                                                     uint64_t input_salt) const {
  auto scratch = MakeScratch(options_.scratch_dir, task.spec.id());
  if (!scratch.ok()) return scratch.status();
  // Runs after the result is read, on every path out (RunLimited has killed the
  // worker's processes by then; RemoveScratch kills any straggler still in the folder).
  absl::Cleanup remove_scratch = [&] {
    if (!options_.keep_scratch) (void)RemoveScratch(*scratch);
  };
  auto token = RandomToken();
  if (!token.ok()) return token.status();
  // The token lives in this process's memory while the worker runs: keep processes of
  // the same user without CAP_SYS_PTRACE (the candidate's) from reading it.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  EvaluationRequest request;
  *request.mutable_task() = task.spec;
  request.set_task_dir(AbsolutePath(task.dir));
  request.set_candidate_path(AbsolutePath(candidate_path));
  *request.mutable_settings() = options_.settings;
  request.set_result_path(*scratch + "/result.json");
  request.set_progress_path(*scratch + "/progress.txt");
  request.set_result_token(*token);
  request.set_input_salt(input_salt);
  const std::string request_path = *scratch + "/request.json";
  if (auto s = WriteFile(request_path, ToJson(request)); !s.ok()) return s;

  ProcessSpec spec;
  spec.argv = {options_.python, AbsolutePath(options_.worker_path), "--request", request_path};
  spec.env = WorkerEnvironment(*scratch, options_.gpu);
  spec.working_dir = *scratch;
  spec.scratch_dir = *scratch;
  spec.limits = LimitsFrom(options_.settings);
  spec.cancel = options_.cancel;
  auto outcome = RunLimited(spec);
  if (!outcome.ok()) return outcome.status();
  if (outcome->cancelled) return absl::CancelledError(absl::StrCat("evaluation of ", task.spec.id(), " cancelled"));

  EvaluationResult result;
  const std::string json = ReadFile(request.result_path()).value_or("");
  // A result counts only from a worker that ended on its own; one killed for a limit
  // cannot have finished, whatever file it left.
  const bool ended_normally = !outcome->timed_out && !outcome->memory_exceeded && outcome->term_signal == 0;
  if (ended_normally && !json.empty()) {
    if (auto s = FromJson(json, &result); !s.ok()) {
      result.Clear();
      result.set_failure_kind(HARNESS_ERROR);
      result.set_message(absl::StrCat("unreadable worker result ", request.result_path(), ": ", s.message()));
    } else if (result.result_token() != *token) {
      result.Clear();
      result.set_failure_kind(REJECTED_BY_CHECK);
      result.set_check("result_forged");
      result.set_message(absl::StrCat("the result file ", request.result_path(),
                                      " does not carry this evaluation's token: it was not written by the judge"));
    } else if (outcome->exit_code != 0) {
      result.set_failure_kind(CRASH);
      result.set_call_ok(false);
      result.set_execution_ok(false);
      result.set_message(absl::StrCat("the worker ", outcome->Describe(), " after writing its result"));
    }
  } else {
    result = ResultFromOutcome(*outcome, LastStage(request.progress_path()));
    result.set_last_stage(LastStage(request.progress_path()));
  }
  result.clear_result_token();
  result.set_task_id(task.spec.id());
  if (auto hash = ContentHash({task.dir}); hash.ok()) result.set_task_content_hash(*hash);
  result.set_candidate_path(request.candidate_path());
  result.set_input_salt(input_salt);
  result.set_stdout_tail(outcome->stdout_text);
  result.set_stderr_tail(outcome->stderr_text);
  result.set_wall_seconds(outcome->wall_seconds);
  if (options_.gpu) *result.mutable_gpu() = options_.gpu->assignment;
  return result;
}

absl::StatusOr<Environment> Evaluator::ProbeEnvironment() const {
  auto scratch = MakeScratch(options_.scratch_dir, "probe");
  if (!scratch.ok()) return scratch.status();
  absl::Cleanup remove_scratch = [&] {
    if (!options_.keep_scratch) (void)RemoveScratch(*scratch);
  };
  ProcessSpec spec;
  const std::string out_path = *scratch + "/environment.json";
  spec.argv = {options_.python, AbsolutePath(options_.worker_path), "--probe", "--device",
               options_.settings.device(), "--out", out_path};
  spec.env = WorkerEnvironment(*scratch, options_.gpu);
  spec.scratch_dir = *scratch;
  spec.limits.timeout_seconds = 120;
  auto outcome = RunLimited(spec);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->Succeeded()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "probing the environment with ", options_.python, " failed: the worker ",
        outcome->Describe(), "\n", outcome->stderr_text));
  }
  Environment env;
  auto json = ReadFile(out_path);
  if (!json.ok()) return json.status();
  if (auto s = FromJson(*json, &env); !s.ok()) return s;
  return env;
}

}  // namespace tritonbench
