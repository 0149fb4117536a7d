// evaluate: checks Triton kernels against tasks.
//
//   evaluate --task=suites/tritonbench_revised/vector_addition --candidate=my_add.py
//       one candidate against one task; prints a readable verdict.
//   evaluate --suite=suites/tritonbench_revised [--out=results/runs/<id>]
//       every task's ground truth, a progress line per task, a run record if --out.
//   evaluate --suite=... --out=DIR --resume
//       takes up the run in DIR that a crash, interrupt or lost machine cut short.
//   evaluate --suite=... --gpus=all --jobs=2
//       evaluations spread over every GPU, two at a time on each (harness/gpu_pool.h).
//   evaluate --suite=... --shard=I/N --out=RUN/shards/shard-I-of-N [--shard_costs=RUN_DIR]
//       shard I of N of the run (harness/shards.h); tools/merge_runs merges the shards.
//
// Exit status: 0 when every task passed (or was skipped for a missing feature),
// 1 when any failed, 2 for bad usage or a broken task/environment, 130 if interrupted.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/cli.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/run_folder.h"
#include "common/verdict_text.h"
#include "harness/environment_check.h"
#include "harness/evaluator.h"
#include "harness/gpu_pool.h"
#include "harness/run_release.h"
#include "harness/scratch.h"
#include "harness/shards.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

ABSL_FLAG(std::vector<std::string>, task, {}, "Task folder(s), comma-separated");
ABSL_FLAG(std::string, suite, "", "Suite folder: evaluate every task in it");
ABSL_FLAG(std::string, candidate, "",
          "Candidate Python file (needs exactly one --task); default: each task's ground truth kernel.py");
ABSL_FLAG(std::string, out, "", "Folder for the run record (run_record.json, results.jsonl); must be new");
ABSL_FLAG(bool, resume, false,
          "With --out naming a run that never finished: keep its finished tasks and evaluate the rest "
          "(refused unless the same tasks, settings, harness and device)");
ABSL_FLAG(std::string, device, "auto", "auto, gpu, or cpu (Triton interpreter, no timing)");
ABSL_FLAG(std::string, python, "", "Python with torch and triton; default $TB_PYTHON, else python3");
ABSL_FLAG(std::string, worker, "", "Path of harness/python/worker.py; default: found beside this binary");
ABSL_FLAG(std::string, scratch_dir, "",
          "Root of the evaluations' scratch folders, each removed when its evaluation ends (those a runner "
          "killed with SIGKILL left are reclaimed by the next); default $TMPDIR or /tmp. Not under /dev/shm "
          "for candidates (their sandbox may write there); ground-truth sweeps may use it");
ABSL_FLAG(bool, keep_scratch, false, "Keep every evaluation's scratch folder (for debugging); prints where");
ABSL_FLAG(double, timeout_s, tritonbench::kDefaultTimeoutSeconds, "Wall-clock limit per candidate evaluation");
ABSL_FLAG(int64_t, memory_mb, tritonbench::kDefaultMemoryLimitMb, "Resident host memory limit per evaluation");
ABSL_FLAG(int32_t, repetitions, tritonbench::kDefaultTimingRepetitions, "Timed repetitions per performance case (GPU)");
ABSL_FLAG(int32_t, warmup_ms, tritonbench::kDefaultWarmupMs, "Warm-up before timing, per function and case (GPU)");
// For measurements that compare with records made before harness 0.8.0, whose eager
// timing was the reference's (tools/gpu_host/device_measure.sh: TIME_REFERENCE=1).
ABSL_FLAG(bool, time_reference, false,
          "Also time the task's reference() (float32/float64; PyTorch eager is --baselines=torch_eager)");
ABSL_FLAG(std::vector<std::string>, baselines, {},
          "PyTorch baselines timed beside the ground truth, comma-separated: torch_eager, torch_compile, "
          "torch_compile_max_autotune (GPU; each from the task's baseline() in reference.py)");
ABSL_FLAG(bool, check_baseline, false,
          "Check each task's baseline() against its reference on every correctness case first "
          "(a disagreement is a HARNESS_ERROR)");
ABSL_FLAG(std::string, trusted_triton_cache, "",
          "Triton compile cache shared by all evaluations; only for trusted kernels (ground truth), "
          "since a shared cache lets a candidate plant code for the next");
ABSL_FLAG(int32_t, jobs, 1,
          "Evaluations in flight at once (on each GPU, with --gpus). On a GPU their CPU-side work overlaps, while "
          "every timed measurement still runs alone: no other evaluation's GPU work beside it (--gpu_lock)");
ABSL_FLAG(std::string, gpus, "",
          "Spread evaluations over these GPUs, --jobs at a time on each, each worker pinned to one GPU "
          "(CUDA_VISIBLE_DEVICES / HIP_VISIBLE_DEVICES), each GPU with its own lock: all, or indices such as 0,1,5 "
          "among the GPUs this process sees. With --device=cpu: slots that pin nothing");
ABSL_FLAG(std::string, shard, "",
          "I/N: evaluate shard I (from 0) of N of the tasks, into --out (RUN/shards/shard-I-of-N by convention); "
          "tools/merge_runs merges the shards into one run");
ABSL_FLAG(std::string, shard_costs, "",
          "With --shard: balance the shards by the tasks' wall seconds recorded under this run folder (or "
          "results.jsonl); default: by name");
ABSL_FLAG(std::string, gpu_lock, "",
          "Lock file ordering the GPU work of evaluations that share one GPU; default with --jobs>1 "
          "on a GPU: one in this run's scratch folder. Give the same file to evaluate processes run side by side");
ABSL_FLAG(bool, probe, true,
          "Describe the device before evaluating (always done with --out or --gpus); false saves a worker "
          "start where nothing needs the device line, as the per-task tests do");
ABSL_FLAG(bool, json, false, "Print each result as JSON instead of text");
ABSL_FLAG(bool, verbose, false, "In suite mode, print the full verdict of every task, not only failures");

namespace tritonbench {
namespace {

std::atomic<bool> g_interrupted{false};

std::string FindWorker(const char* argv0) {
  if (!absl::GetFlag(FLAGS_worker).empty()) return UserPath(absl::GetFlag(FLAGS_worker));
  const std::string rel = "harness/python/worker.py";
  std::vector<std::string> candidates;
  if (const char* r = getenv("RUNFILES_DIR")) candidates.push_back(absl::StrCat(r, "/tritonbench/", rel));
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(absl::StrCat(self.string(), ".runfiles/tritonbench/", rel));
  candidates.push_back(absl::StrCat(argv0, ".runfiles/tritonbench/", rel));
  candidates.push_back(rel);
  if (const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY")) candidates.push_back(absl::StrCat(ws, "/", rel));
  if (!ec) candidates.push_back((self.parent_path() / rel).string());
  for (const auto& c : candidates) {
    if (std::filesystem::exists(c)) return c;
  }
  return rel;
}

EvaluationSettings SettingsFromFlags() {
  EvaluationSettings s = DefaultSettings();
  s.set_device(absl::GetFlag(FLAGS_device));
  s.set_timeout_seconds(absl::GetFlag(FLAGS_timeout_s));
  s.set_memory_limit_mb(absl::GetFlag(FLAGS_memory_mb));
  s.set_timing_repetitions(absl::GetFlag(FLAGS_repetitions));
  s.set_warmup_ms(absl::GetFlag(FLAGS_warmup_ms));
  s.set_time_reference(absl::GetFlag(FLAGS_time_reference));
  s.set_trusted_triton_cache_dir(absl::GetFlag(FLAGS_trusted_triton_cache));
  for (const auto& b : absl::GetFlag(FLAGS_baselines)) s.add_baselines(b);
  s.set_check_baseline(absl::GetFlag(FLAGS_check_baseline));
  s.set_gpu_lock_path(absl::GetFlag(FLAGS_gpu_lock));
  return s;
}

int Fail(const absl::Status& status) { return ReportError("evaluate", status, 2); }

int Run(int argc, char** argv, const std::vector<char*>& positional) {
  if (positional.size() > 1) {
    return Fail(absl::InvalidArgumentError(absl::StrCat("unexpected argument '", positional[1], "'")));
  }
  std::vector<std::string> task_dirs;
  for (const auto& t : absl::GetFlag(FLAGS_task)) task_dirs.push_back(UserPath(t));
  if (!absl::GetFlag(FLAGS_suite).empty()) {
    auto dirs = ListTaskDirs(UserPath(absl::GetFlag(FLAGS_suite)));
    if (!dirs.ok()) return Fail(dirs.status());
    task_dirs.insert(task_dirs.end(), dirs->begin(), dirs->end());
  }
  if (task_dirs.empty()) return Fail(absl::InvalidArgumentError("give --task=DIR or --suite=DIR (see --help)"));
  const std::string candidate = UserPath(absl::GetFlag(FLAGS_candidate));
  if (!candidate.empty() && task_dirs.size() != 1) {
    return Fail(absl::InvalidArgumentError("--candidate needs exactly one --task"));
  }
  if (!candidate.empty() && !std::filesystem::exists(candidate)) {
    return Fail(absl::NotFoundError(absl::StrCat("candidate file ", candidate, " does not exist")));
  }

  // Every task is loaded and validated before anything runs: a broken spec stops the run.
  std::vector<Task> tasks;
  for (const auto& dir : task_dirs) {
    auto task = LoadTask(dir);
    if (!task.ok()) return Fail(task.status());
    tasks.push_back(*std::move(task));
  }
  // A run record (and a resumption) tells tasks apart by id.
  std::map<std::string, std::string> folder_of;
  std::string suite = tasks.front().spec.suite();
  for (const auto& t : tasks) {
    auto [it, fresh] = folder_of.emplace(t.spec.id(), t.dir);
    if (!fresh) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("tasks ", it->second, " and ", t.dir, " share the id '", t.spec.id(), "'")));
    }
    if (t.spec.suite() != suite) suite = "mixed";
  }
  // --shard: this runner's part of the tasks; the record carries the whole split.
  if (!absl::GetFlag(FLAGS_shard).empty()) {
    if (absl::GetFlag(FLAGS_out).empty()) {
      return Fail(absl::InvalidArgumentError("--shard needs --out (the shard's run folder)"));
    }
    if (!candidate.empty()) return Fail(absl::InvalidArgumentError("--shard splits tasks' ground truths, not a --candidate"));
  }
  auto shard = TakeShard(absl::GetFlag(FLAGS_shard), UserPath(absl::GetFlag(FLAGS_shard_costs)), &tasks, &task_dirs);
  if (!shard.ok()) return Fail(shard.status());
  if (*shard) std::cerr << ShardSummary(**shard) << "\n";

  EvaluatorOptions options;
  options.python = PythonInterpreter(absl::GetFlag(FLAGS_python));
  options.worker_path = FindWorker(argv[0]);
  options.settings = SettingsFromFlags();
  options.cancel = &g_interrupted;
  // Removed (and its processes killed) when Run returns, on every path.
  auto scratch = RunnerScratch::Open(UserPath(absl::GetFlag(FLAGS_scratch_dir)), absl::GetFlag(FLAGS_keep_scratch),
                                     "evaluate", &std::cerr);
  if (!scratch.ok()) return Fail(scratch.status());
  options.scratch_dir = (*scratch)->dir();
  options.keep_scratch = (*scratch)->keep();
  if (!candidate.empty()) {
    if (auto s = ScratchOutOfReach(options.scratch_dir, "--scratch_dir"); !s.ok()) return Fail(s);
  }
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs < 1) return Fail(absl::InvalidArgumentError("--jobs must be at least 1"));
  if (jobs > 1 && options.settings.gpu_lock_path().empty() && options.settings.device() != "cpu") {
    options.settings.set_gpu_lock_path(options.scratch_dir + "/gpu.lock");
  } else if (!options.settings.gpu_lock_path().empty()) {
    options.settings.set_gpu_lock_path(UserPath(options.settings.gpu_lock_path()));
  }
  Evaluator evaluator(options);

  RunRecord header;
  header.set_started_at(NowRfc3339());
  header.set_harness_version(kHarnessVersion);
  header.set_configuration(candidate.empty() ? "ground_truth" : "candidate_file");
  *header.mutable_settings() = options.settings;
  std::vector<std::string> args(argv, argv + argc);
  header.set_command_line(absl::StrJoin(args, " "));
  header.set_suite(suite);
  if (*shard) *header.mutable_shard() = (*shard)->info;
  auto suite_hash = ContentHash(task_dirs);
  if (!suite_hash.ok()) return Fail(suite_hash.status());
  header.set_suite_content_hash(*suite_hash);
  // Which release each result and the run measured (suites/<suite>/releases.textproto).
  auto releases = RunReleases::Load(task_dirs);
  if (!releases.ok()) return Fail(releases.status());
  auto harness_hash = ContentHash({std::filesystem::path(options.worker_path).parent_path().string()});
  if (harness_hash.ok()) header.set_harness_content_hash(*harness_hash);

  const std::string gpus = absl::GetFlag(FLAGS_gpus);
  if (absl::GetFlag(FLAGS_probe) || !absl::GetFlag(FLAGS_out).empty() || !gpus.empty()) {
    auto env = evaluator.ProbeEnvironment();
    if (!env.ok()) return Fail(env.status());
    *header.mutable_environment() = *env;
    std::cerr << "device: " << EnvironmentLine(*env) << "\n";
    auto notices = CheckEnvironment(*env, tasks);
    if (!notices.ok()) return Fail(notices.status());
    for (const auto& notice : *notices) std::cerr << notice << "\n";
  }
  header.set_run_id(absl::StrCat(header.started_at(), "-", header.configuration(), "-", getpid()));
  // Every GPU named is checked (pinned and probed) before any evaluation.
  auto pool = EvaluatorPool::Create(options, header.environment(), {gpus, jobs, 0});
  if (!pool.ok()) return Fail(pool.status());
  if (!(*pool)->description().empty()) std::cerr << "gpus: " << (*pool)->description() << "\n";

  std::unique_ptr<RunFolder> writer;
  if (!absl::GetFlag(FLAGS_out).empty()) {
    const std::string out = UserPath(absl::GetFlag(FLAGS_out));
    if (absl::GetFlag(FLAGS_resume)) {
      if (auto s = CheckShardResumable(out, *shard ? &(*shard)->info : nullptr); !s.ok()) return Fail(s);
    }
    RunFolderOptions folder;
    folder.releases = &*releases;
    folder.stamp_resumed_at = true;
    auto w = absl::GetFlag(FLAGS_resume)
                 ? RunFolder::Resume(out, header, folder,
                                     [&](const RunRecord& earlier, const RunRecord& now) {
                                       return SameMeasurement(out, earlier, now);
                                     })
                 : RunFolder::Create(out, header, folder);
    if (!w.ok()) return Fail(w.status());
    writer = *std::move(w);
    if (writer->resumed() > 0) {
      std::cerr << "resuming " << out << ": " << writer->resumed() << " of " << tasks.size()
                << " task(s) already finished there, kept\n";
    }
  } else if (absl::GetFlag(FLAGS_resume)) {
    return Fail(absl::InvalidArgumentError("--resume needs --out (the run folder to take up)"));
  }

  // One task named on its own gets the full verdict; a suite gets a line per task.
  const bool single = !candidate.empty() || (absl::GetFlag(FLAGS_suite).empty() && tasks.size() == 1 && !*shard);
  // With --jobs > 1 results arrive in the order they finish; each is appended (and
  // its line printed) as it arrives, so an interrupted run keeps what finished.
  absl::Mutex mu;
  int failed = 0, done = writer ? writer->resumed() : 0;
  if (writer) {
    for (const auto& kept : writer->record().results()) failed += VerdictWord(kept) == "FAIL";
  }
  absl::Status error;
  ParallelFor(static_cast<int>(tasks.size()), (*pool)->capacity(), [&](int i) {
    if (g_interrupted.load()) return;
    {
      absl::MutexLock lock(&mu);
      if (!error.ok()) return;
    }
    const Task& task = tasks[i];
    if (writer && writer->Finished(task.spec.id())) return;
    auto result = (*pool)->Evaluate(task, candidate.empty() ? task.KernelPath() : candidate);
    absl::MutexLock lock(&mu);
    if (absl::IsCancelled(result.status())) return;
    if (!result.ok()) {
      if (error.ok()) error = result.status();
      return;
    }
    releases->MarkResult(&*result);
    if (writer) {
      if (auto s = writer->Append(*result); !s.ok()) {
        if (error.ok()) error = s;
        return;
      }
    }
    ++done;
    if (VerdictWord(*result) == "FAIL") ++failed;
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << ToJson(*result) << "\n";
    } else if (single) {
      std::cout << FullVerdict(*result);
    } else {
      std::cout << ProgressLine(done, tasks.size(), *result) << "\n";
      if (absl::GetFlag(FLAGS_verbose) || VerdictWord(*result) == "FAIL") std::cout << FullVerdict(*result) << "\n";
    }
    std::cout.flush();
  });
  if (!error.ok()) return Fail(error);
  const bool interrupted = g_interrupted.load();
  if (writer) {
    if (auto s = writer->Finish(interrupted); !s.ok()) return Fail(s);
    const RunRecord& r = writer->record();
    std::cerr << "run record: " << UserPath(absl::GetFlag(FLAGS_out)) << "/run_record.json (" << r.execution_ok()
              << " of " << r.tasks_total() << " correct, " << r.skipped() << " skipped)\n";
  }
  if (interrupted) {
    std::cerr << "evaluate: interrupted; finished tasks are kept\n";
    return 130;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Evaluates Triton kernels against tasks.\n"
      "  evaluate --task=DIR --candidate=FILE   one candidate, readable verdict\n"
      "  evaluate --suite=DIR [--out=DIR]       every ground truth in a suite, run record in DIR");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  tritonbench::StopOnSignals(&tritonbench::g_interrupted);
  return tritonbench::Run(argc, argv, positional);
}
