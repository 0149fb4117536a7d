#include "agent/configuration_runner.h"

#include <filesystem>

#include "absl/synchronization/mutex.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/configuration.h"
#include "agent/knowledge.h"
#include "agent/parallel.h"
#include "agent/run_folder.h"
#include "harness/evaluator.h"
#include "harness/files.h"
#include "harness/run_release.h"

namespace tritonbench {
namespace {

std::string Under(const std::string& root, const std::string& path) {
  if (root.empty() || path.empty() || path[0] == '/') return path;
  return absl::StrCat(root, "/", path);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConfigurationRunner>> ConfigurationRunner::Create(
    Configuration config, const std::string& root, LlmProvider* provider, std::optional<PriceTable> prices,
    bool replayed, CandidateEvaluator* evaluator) {
  auto valid = ValidateConfiguration(std::move(config), "configuration");
  if (!valid.ok()) return valid.status();
  std::unique_ptr<ConfigurationRunner> r(new ConfigurationRunner());
  r->config_ = *std::move(valid);
  auto prompts = PromptBuilder::Load(Under(root, r->config_.prompts_dir()), r->config_.hardware());
  if (!prompts.ok()) return prompts.status();
  r->prompts_ = std::make_unique<PromptBuilder>(*std::move(prompts));
  r->llm_ = std::make_unique<LlmCaller>(provider, r->config_.model(), std::move(prices), replayed,
                                        r->config_.llm_concurrency());
  r->services_.config = &r->config_;
  r->services_.prompts = r->prompts_.get();
  r->services_.llm = r->llm_.get();
  r->services_.evaluator = evaluator;
  if (r->config_.knowledge()) {
    auto knowledge = LoadKnowledge(Under(root, r->config_.knowledge_dir()), r->config_.hardware());
    if (!knowledge.ok()) return knowledge.status();
    r->services_.knowledge = *knowledge;
  }
  if (r->config_.strategy() == ONE_SHOT) {
    auto corpus = LoadCorpus(Under(root, r->config_.one_shot().corpus_dir()));
    if (!corpus.ok()) return corpus.status();
    r->retriever_ = std::make_unique<Retriever>(*std::move(corpus), r->config_.one_shot().similarity());
    r->services_.retriever = r->retriever_.get();
  }
  return r;
}

ModelInfo ConfigurationRunner::model_info() const {
  ModelInfo m;
  m.set_name(config_.model().name());
  m.set_provider(config_.model().provider());
  m.set_sampling(SamplingText(config_.model()));
  return m;
}

absl::StatusOr<RunRecord> ConfigurationRunner::Run(const std::vector<Task>& tasks, const std::string& out_dir,
                                                   RunRecord header, const std::atomic<bool>* cancel,
                                                   std::ostream* progress) {
  header.set_configuration(config_.name());
  *header.mutable_model() = model_info();
  std::vector<std::string> task_dirs;
  for (const auto& t : tasks) task_dirs.push_back(t.dir);
  auto releases = RunReleases::Load(task_dirs);  // the release of the run and of each result
  if (!releases.ok()) return releases.status();
  auto folder = RunFolder::Open(out_dir, std::move(header), &*releases);
  if (!folder.ok()) return folder.status();
  if ((*folder)->resumed() > 0 && progress != nullptr) {
    *progress << "resuming " << out_dir << ": " << (*folder)->resumed() << " task(s) already finished\n";
  }
  std::vector<size_t> pending;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (!(*folder)->Finished(tasks[i].spec.id())) pending.push_back(i);
  }
  absl::Mutex mu;  // guards the folder, `progress`, `interrupted` and `error`
  bool interrupted = false;
  absl::Status error;
  RunFolder* run = folder->get();
  // Tasks run task_concurrency at a time; each finished one is appended at once.
  ParallelFor(static_cast<int>(pending.size()), config_.task_concurrency(), [&](int k) {
    const Task& task = tasks[pending[k]];
    {
      absl::MutexLock lock(&mu);
      if (!error.ok() || interrupted) return;
      if (cancel != nullptr && cancel->load()) {
        interrupted = true;
        return;
      }
    }
    const std::string dir = absl::StrCat(out_dir, "/candidates/", task.spec.id());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);  // an unfinished earlier attempt starts over
    auto outcome = RunStrategy(services_, task, dir);
    absl::Status s;
    if (outcome.ok()) {
      s = WriteFile(dir + "/agent_log.txt", absl::StrJoin(outcome->log, "\n") + "\n");
      std::string calls;
      for (const auto& c : outcome->calls) absl::StrAppend(&calls, ToJson(c), "\n");
      if (s.ok()) s = WriteFile(dir + "/llm_calls.jsonl", calls);
    }
    absl::MutexLock lock(&mu);
    if (!outcome.ok()) {
      if (absl::IsCancelled(outcome.status())) {
        interrupted = true;
      } else if (error.ok()) {
        error = absl::Status(outcome.status().code(),
                             absl::StrCat("task ", task.spec.id(), ": ", outcome.status().message()));
      }
      return;
    }
    if (s.ok()) s = run->Append(outcome->best, outcome->generation);
    if (!s.ok()) {
      if (error.ok()) error = s;
      return;
    }
    if (progress != nullptr) {
      const TaskGeneration& g = outcome->generation;
      *progress << "[" << run->record().results_size() << "/" << tasks.size() << "] " << task.spec.id() << ": "
                << (outcome->best.execution_ok() ? "PASS" : "FAIL") << " ("
                << FailureKind_Name(outcome->best.failure_kind()) << "), " << g.iterations() << " iteration(s), "
                << g.llm_calls() << " LLM call(s)"
                << (g.has_iterations_to_first_correct()
                        ? absl::StrCat(", first correct at iteration ", g.iterations_to_first_correct())
                        : "")
                << (outcome->best.timing_available() ? absl::StrCat(", speedup ", outcome->best.speedup()) : "")
                << "\n";
      progress->flush();
    }
  });
  if (!error.ok()) {
    (void)run->Finish(/*interrupted=*/true);  // keep what finished; a rerun resumes
    return error;
  }
  if (auto s = (*folder)->Finish(interrupted); !s.ok()) return s;
  return (*folder)->record();
}

}  // namespace tritonbench
