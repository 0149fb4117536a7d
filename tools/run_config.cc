// run_config: runs one configuration (zero-shot, one-shot, the GEAK agent; a text
// proto under agent/configs/) over a suite or tasks and writes a run record.
//
//   run_config --config=agent/configs/zero_shot.textproto
//       --suite=suites/tritonbench_revised --out=results/runs/<id>   (one command line)
//
// The model comes from the configuration; --provider, --model and --base_url override
// it (and the record names what ran). Every answered call is recorded under
// <out>/transcripts/session-<n>/; --replay=DIR answers from such a folder instead
// (no key, no network) and reproduces the recorded kernels. Running again with the
// same --out resumes: finished tasks are kept, not repeated; refused (exit 2) when the
// run's provenance, harness or release changed (agent/provenance.h).
//
// --gpus=all spreads the agent's timed evaluations over the machine's GPUs, one at a time
// on each (harness/gpu_pool.h); --shard=I/N runs shard I of N of the tasks into --out
// (harness/shards.h), and tools/merge_runs merges the shards into one run.
//
// Exit status: 0 when every task got a correct kernel, 1 when any did not, 2 for bad
// usage or a broken task/environment/provider, 130 if interrupted.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/candidate_evaluator.h"
#include "agent/configuration.h"
#include "agent/configuration_runner.h"
#include "agent/llm/accounting.h"
#include "agent/llm/provider_factory.h"
#include "common/cli.h"
#include "common/run_folder.h"
#include "harness/evaluator.h"
#include "harness/gpu_pool.h"
#include "harness/scratch.h"
#include "harness/shards.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

ABSL_FLAG(std::string, config, "", "Configuration text proto (agent/configs/*.textproto)");
ABSL_FLAG(std::string, suite, "", "Suite folder: every task in it");
ABSL_FLAG(std::vector<std::string>, task, {}, "Task folder(s), comma-separated");
ABSL_FLAG(std::string, out, "", "Run folder; an existing run of the same configuration is resumed");
ABSL_FLAG(std::string, provider, "", "Override the configuration's model.provider (openai, anthropic, gemini)");
ABSL_FLAG(std::string, model, "", "Override the configuration's model.name");
ABSL_FLAG(std::string, base_url, "", "Override the configuration's model.base_url");
ABSL_FLAG(std::string, prices, "", "Price table text proto (tritonbench.PriceTable) for the cost");
ABSL_FLAG(bool, record, true, "Record every answered call under <out>/transcripts/session-<n>");
ABSL_FLAG(std::string, replay, "", "Answer from this transcript folder instead of the provider");
ABSL_FLAG(std::string, root, "", "Folder the configuration's relative paths start from; default the workspace");
ABSL_FLAG(std::string, device, "auto", "auto, gpu, or cpu (Triton interpreter, no timing)");
ABSL_FLAG(std::string, python, "", "Python with torch and triton; default $TB_PYTHON, else python3");
ABSL_FLAG(std::string, worker, "harness/python/worker.py", "Path of harness/python/worker.py (under --root)");
ABSL_FLAG(std::string, scratch_dir, "",
          "Root of the evaluations' scratch folders, each removed when its evaluation ends (those a runner "
          "killed with SIGKILL left are reclaimed by the next); default $TMPDIR or /tmp; not under /dev/shm, "
          "where candidates' sandbox may write");
ABSL_FLAG(bool, keep_scratch, false, "Keep every evaluation's scratch folder (for debugging); prints where");
ABSL_FLAG(double, timeout_s, tritonbench::kDefaultTimeoutSeconds, "Wall-clock limit per candidate evaluation");
ABSL_FLAG(int64_t, memory_mb, tritonbench::kDefaultMemoryLimitMb, "Resident host memory limit per evaluation");
ABSL_FLAG(int32_t, repetitions, tritonbench::kDefaultTimingRepetitions, "Timed repetitions per performance case (GPU)");
ABSL_FLAG(int32_t, warmup_ms, tritonbench::kDefaultWarmupMs, "Warm-up before timing (GPU)");
ABSL_FLAG(std::string, gpus, "",
          "Spread the agent's evaluations over these GPUs, one timed evaluation at a time on each, each worker "
          "pinned to one GPU: all, or indices such as 0,1,5 among the GPUs this process sees. With --device=cpu: "
          "slots that pin nothing");
ABSL_FLAG(std::string, shard, "",
          "I/N: run shard I (from 0) of N of the tasks into --out (RUN/shards/shard-I-of-N by convention); "
          "tools/merge_runs merges the shards into one run");
ABSL_FLAG(std::string, shard_costs, "",
          "With --shard: balance the shards by the tasks' wall seconds recorded under this run folder; default: "
          "by name");

namespace tritonbench {
namespace {

std::atomic<bool> g_interrupted{false};

std::string Root() {
  if (!absl::GetFlag(FLAGS_root).empty()) return UserPath(absl::GetFlag(FLAGS_root));
  if (const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY")) return ws;
  return "";
}

std::string UnderRoot(const std::string& path) {
  const std::string root = Root();
  if (root.empty() || path.empty() || path[0] == '/') return path;
  return absl::StrCat(root, "/", path);
}

int Fail(const absl::Status& status) { return ReportError("run_config", status, 2); }

int Run(int argc, char** argv) {
  if (absl::GetFlag(FLAGS_config).empty() || absl::GetFlag(FLAGS_out).empty()) {
    return Fail(absl::InvalidArgumentError("give --config=FILE and --out=DIR (see --help)"));
  }
  auto config = LoadConfiguration(UserPath(absl::GetFlag(FLAGS_config)));
  if (!config.ok()) return Fail(config.status());
  if (!absl::GetFlag(FLAGS_provider).empty()) config->mutable_model()->set_provider(absl::GetFlag(FLAGS_provider));
  if (!absl::GetFlag(FLAGS_model).empty()) config->mutable_model()->set_name(absl::GetFlag(FLAGS_model));
  if (!absl::GetFlag(FLAGS_base_url).empty()) config->mutable_model()->set_base_url(absl::GetFlag(FLAGS_base_url));

  std::vector<std::string> task_dirs;
  for (const auto& t : absl::GetFlag(FLAGS_task)) task_dirs.push_back(UserPath(t));
  if (!absl::GetFlag(FLAGS_suite).empty()) {
    auto dirs = ListTaskDirs(UserPath(absl::GetFlag(FLAGS_suite)));
    if (!dirs.ok()) return Fail(dirs.status());
    task_dirs.insert(task_dirs.end(), dirs->begin(), dirs->end());
  }
  if (task_dirs.empty()) return Fail(absl::InvalidArgumentError("give --suite=DIR or --task=DIR"));
  std::vector<Task> tasks;
  std::string suite;
  for (const auto& dir : task_dirs) {
    auto task = LoadTask(dir);
    if (!task.ok()) return Fail(task.status());
    if (suite.empty()) suite = task->spec.suite();
    if (task->spec.suite() != suite) suite = "mixed";
    tasks.push_back(*std::move(task));
  }

  const std::string out = UserPath(absl::GetFlag(FLAGS_out));
  // --shard: this runner's part of the tasks; the record carries the whole split.
  auto shard = TakeShard(absl::GetFlag(FLAGS_shard), UserPath(absl::GetFlag(FLAGS_shard_costs)), &tasks, &task_dirs);
  if (!shard.ok()) return Fail(shard.status());
  if (*shard) std::cerr << ShardSummary(**shard) << "\n";
  if (auto s = CheckShardResumable(out, *shard ? &(*shard)->info : nullptr); !s.ok()) return Fail(s);
  ProviderConfig pc;
  pc.provider = config->model().provider();
  pc.base_url = config->model().base_url();
  if (config->model().has_api_key_env()) pc.api_key_env = config->model().api_key_env();
  pc.limits.requests_per_minute = config->llm_requests_per_minute();
  const bool replaying = !absl::GetFlag(FLAGS_replay).empty();
  if (replaying) {
    pc.replay_dir = UserPath(absl::GetFlag(FLAGS_replay));
  } else if (absl::GetFlag(FLAGS_record)) {
    int session = 0;
    while (std::filesystem::exists(absl::StrCat(out, "/transcripts/session-", session))) ++session;
    pc.record_dir = absl::StrCat(out, "/transcripts/session-", session);
  }
  auto provider = CreateProvider(pc);
  if (!provider.ok()) return Fail(provider.status());
  std::optional<PriceTable> prices;
  if (!absl::GetFlag(FLAGS_prices).empty()) {
    auto table = LoadPriceTable(UserPath(absl::GetFlag(FLAGS_prices)));
    if (!table.ok()) return Fail(table.status());
    prices = *table;
  }

  EvaluatorOptions options;
  options.python = PythonInterpreter(absl::GetFlag(FLAGS_python));
  options.worker_path = UnderRoot(absl::GetFlag(FLAGS_worker));
  options.settings = DefaultSettings();
  options.settings.set_device(absl::GetFlag(FLAGS_device));
  options.settings.set_timeout_seconds(absl::GetFlag(FLAGS_timeout_s));
  options.settings.set_memory_limit_mb(absl::GetFlag(FLAGS_memory_mb));
  options.settings.set_timing_repetitions(absl::GetFlag(FLAGS_repetitions));
  options.settings.set_warmup_ms(absl::GetFlag(FLAGS_warmup_ms));
  options.cancel = &g_interrupted;
  // Removed (and its processes killed) when Run returns, on every path.
  auto scratch = RunnerScratch::Open(UserPath(absl::GetFlag(FLAGS_scratch_dir)), absl::GetFlag(FLAGS_keep_scratch),
                                     "run_config", &std::cerr);
  if (!scratch.ok()) return Fail(scratch.status());
  options.scratch_dir = (*scratch)->dir();
  options.keep_scratch = (*scratch)->keep();
  if (auto s = ScratchOutOfReach(options.scratch_dir, "--scratch_dir"); !s.ok()) return Fail(s);
  auto env = Evaluator(options).ProbeEnvironment();
  if (!env.ok()) return Fail(env.status());
  const bool timed = env->backend() != "cpu-interpreter";
  std::cerr << "device: " << EnvironmentLine(*env)
            << (timed ? "" : "; no timing, the optimizer is skipped") << "\n";
  // Every GPU named is checked (pinned and probed) before any LLM call.
  auto pool = EvaluatorPool::Create(
      options, *env,
      HarnessCandidateEvaluator::PoolFor(absl::GetFlag(FLAGS_gpus), timed, config->evaluation_concurrency()));
  if (!pool.ok()) return Fail(pool.status());
  if (!(*pool)->description().empty()) std::cerr << "gpus: " << (*pool)->description() << "\n";
  HarnessCandidateEvaluator evaluator(*std::move(pool), timed);

  auto runner = ConfigurationRunner::Create(*config, Root(), provider->get(), prices, replaying, &evaluator);
  if (!runner.ok()) return Fail(runner.status());

  RunRecord header;
  header.set_started_at(NowRfc3339());
  header.set_harness_version(kHarnessVersion);
  *header.mutable_settings() = options.settings;
  *header.mutable_environment() = *env;
  header.set_command_line(absl::StrJoin(std::vector<std::string>(argv, argv + argc), " "));
  header.set_suite(suite);
  if (*shard) *header.mutable_shard() = (*shard)->info;
  auto suite_hash = ContentHash(task_dirs);
  if (!suite_hash.ok()) return Fail(suite_hash.status());
  header.set_suite_content_hash(*suite_hash);
  auto harness_hash = ContentHash({std::filesystem::path(options.worker_path).parent_path().string()});
  if (harness_hash.ok()) header.set_harness_content_hash(*harness_hash);
  header.set_run_id(absl::StrCat(header.started_at(), "-", config->name(), "-", getpid()));

  auto record = (*runner)->Run(tasks, out, header, &g_interrupted, &std::cout);
  if (!record.ok()) return Fail(record.status());
  std::cerr << "run record: " << out << "/run_record.json (" << record->execution_ok() << " of "
            << record->tasks_total() << " correct)\n";
  if (record->interrupted()) {
    std::cerr << "run_config: interrupted; finished tasks are kept, run again with the same --out to resume\n";
    return 130;
  }
  return record->execution_ok() == record->tasks_total() ? 0 : 1;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Runs a configuration (zero-shot, one-shot, GEAK agent) over tasks.\n"
      "  run_config --config=agent/configs/zero_shot.textproto --suite=DIR --out=DIR");
  absl::ParseCommandLine(argc, argv);
  tritonbench::StopOnSignals(&tritonbench::g_interrupted);
  return tritonbench::Run(argc, argv);
}
