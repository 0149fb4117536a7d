#include "agent/configuration_runner.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/configuration.h"
#include "agent/knowledge.h"
#include "common/files.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/run_folder.h"
#include "harness/evaluator.h"
#include "harness/run_release.h"

namespace tritonbench {
namespace {

std::string Under(const std::string& root, const std::string& path) {
  if (root.empty() || path.empty() || path[0] == '/') return path;
  return absl::StrCat(root, "/", path);
}

// Non-zero, and below 2^63 so that a reader taking it as a signed 64-bit seed holds it.
uint64_t FreshInputSalt() {
  absl::BitGen gen;
  return absl::Uniform<uint64_t>(absl::IntervalClosed, gen, 1, std::numeric_limits<int64_t>::max());
}

std::string Verdict(const EvaluationResult& r) {
  std::string v = r.execution_ok() ? "correct" : FailureKind_Name(r.failure_kind());
  if (r.timing_available()) absl::StrAppend(&v, ", speedup ", r.speedup());
  return v;
}

// Keeps the search's figures for the kept candidate in the generation, evaluates the
// candidate once more (a new worker process, new inputs) and makes that result the one
// reported.
absl::Status EvaluateKeptAgain(CandidateEvaluator& evaluator, const Task& task, TaskOutcome* outcome) {
  const EvaluationResult& search = outcome->best;
  TaskGeneration& g = outcome->generation;
  g.set_search_execution_ok(search.execution_ok());
  if (search.timing_available()) g.set_search_speedup(search.speedup());
  int timed = 0;
  for (const Attempt& a : outcome->attempts) timed += a.result.timing_available() ? 1 : 0;
  g.set_timed_candidates(timed);
  if (outcome->best_code.empty()) {
    outcome->log.push_back("no candidate had code: nothing to evaluate again; the search's verdict is reported");
    return absl::OkStatus();
  }
  auto fresh = evaluator.Evaluate(task, search.candidate_path(), FreshInputSalt());
  if (!fresh.ok()) return fresh.status();
  const std::string name = BaseName(search.candidate_path());
  if (fresh->execution_ok() != search.execution_ok()) {
    outcome->log.push_back(absl::StrCat("fresh evaluation of the kept candidate ", name,
                                        " (new process, new inputs) disagrees with the search: ", Verdict(search),
                                        " during the search, ", Verdict(*fresh), " now; the fresh result is reported"));
  } else {
    outcome->log.push_back(absl::StrCat("fresh evaluation of the kept candidate ", name, " (new process, new inputs): ",
                                        Verdict(*fresh), " (search: ", Verdict(search),
                                        "); the fresh result is reported"));
  }
  outcome->best = *std::move(fresh);
  return absl::OkStatus();
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
  r->provenance_.set_configuration_sha256(ConfigurationSha256(r->config_));
  r->provenance_.set_prompts_sha256(ListingSha256(r->prompts_->Files()));
  r->sources_.prompts_dir = Under(root, r->config_.prompts_dir());
  r->llm_ = std::make_unique<LlmCaller>(provider, r->config_.model(), std::move(prices), replayed,
                                        r->config_.llm_concurrency());
  r->services_.config = &r->config_;
  r->services_.prompts = r->prompts_.get();
  r->services_.llm = r->llm_.get();
  r->services_.evaluator = evaluator;
  if (r->config_.knowledge()) {
    std::map<std::string, std::string> files;
    r->sources_.knowledge_dir = Under(root, r->config_.knowledge_dir());
    auto knowledge = LoadKnowledge(r->sources_.knowledge_dir, r->config_.hardware(), &files);
    if (!knowledge.ok()) return knowledge.status();
    r->services_.knowledge = *knowledge;
    r->provenance_.set_knowledge_sha256(ListingSha256(files));
  }
  if (r->config_.strategy() == ONE_SHOT) {
    r->sources_.corpus_dir = Under(root, r->config_.one_shot().corpus_dir());
    auto corpus = LoadCorpus(r->sources_.corpus_dir);
    if (!corpus.ok()) return corpus.status();
    std::map<std::string, std::string> files;
    for (const auto& e : *corpus) files[e.name + ".py"] = e.code;
    r->provenance_.set_corpus_sha256(ListingSha256(files));
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
  *header.mutable_provenance() = provenance_;
  const RunRecord now = header;
  RunFolderOptions options;
  options.generations = true;
  options.releases = &*releases;
  auto folder = RunFolder::Resume(out_dir, std::move(header), options,
                                  [&](const RunRecord& earlier, const RunRecord& marked) {
                                    if (auto s = CheckSameRun(out_dir, earlier, marked); !s.ok()) return s;
                                    return CheckResumable(out_dir, earlier, now, sources_);
                                  });
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
    if (outcome.ok()) {
      if (auto fresh = EvaluateKeptAgain(*services_.evaluator, task, &*outcome); !fresh.ok()) outcome = fresh;
    }
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
                << (g.has_search_speedup() ? absl::StrCat(" (search: ", g.search_speedup(), ")") : "") << "\n";
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
