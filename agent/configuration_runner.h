// Runs one configuration over a list of tasks into a resumable run folder
// (common/run_folder.h): for each task not finished yet, the strategy's procedure
// (strategies.h), its candidates, log (agent_log.txt) and call records
// (llm_calls.jsonl, agent/proto/llm.proto CallRecord) under candidates/<task id>/, then the kept
// result and its generation stats appended to the run record.
//
// The kept candidate is evaluated once more, in a fresh evaluation with new inputs (a
// random non-zero input_salt per task), and that result is the one reported: keeping
// the best of many evaluations and reporting the same measurement would bias it
// upward. The search's figures for it stay in TaskGeneration (search_speedup,
// search_execution_ok, timed_candidates); the log says when the two disagree.
#ifndef TRITONBENCH_AGENT_CONFIGURATION_RUNNER_H_
#define TRITONBENCH_AGENT_CONFIGURATION_RUNNER_H_

#include <atomic>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/candidate_evaluator.h"
#include "agent/llm/provider.h"
#include "agent/llm_caller.h"
#include "agent/prompt_builder.h"
#include "agent/proto/configuration.pb.h"
#include "agent/provenance.h"
#include "agent/retrieval.h"
#include "agent/strategies.h"
#include "harness/proto/run_record.pb.h"
#include "harness/task_loader.h"

namespace tritonbench {

class ConfigurationRunner {
 public:
  // Loads what the configuration names (prompts, knowledge notes, the one-shot
  // corpus), with relative folders taken from `root` ("" = as given), and hashes them
  // and the configuration for the run's provenance. `provider` and `evaluator` must
  // outlive the runner. `replayed` marks the calls' records.
  static absl::StatusOr<std::unique_ptr<ConfigurationRunner>> Create(Configuration config, const std::string& root,
                                                                     LlmProvider* provider,
                                                                     std::optional<PriceTable> prices, bool replayed,
                                                                     CandidateEvaluator* evaluator);

  // The model as run records name it.
  ModelInfo model_info() const;

  // Runs every task not yet finished in `out_dir`, task_concurrency at a time. On an
  // error the finished tasks are kept (the record says interrupted) and the first
  // error, naming its task, is returned. `header` carries what the caller
  // knows (settings, environment, hashes, command line); configuration, model and
  // provenance are set here. An existing run in `out_dir` is resumed only when
  // CheckResumable (provenance.h) accepts it; otherwise FailedPrecondition and nothing
  // is written. Stops between tasks when *cancel turns true (the record says
  // interrupted). Progress lines go to `progress` when not null.
  absl::StatusOr<RunRecord> Run(const std::vector<Task>& tasks, const std::string& out_dir, RunRecord header,
                                const std::atomic<bool>* cancel, std::ostream* progress);

  const Configuration& config() const { return config_; }
  const Provenance& provenance() const { return provenance_; }

 private:
  ConfigurationRunner() = default;

  Configuration config_;
  std::unique_ptr<PromptBuilder> prompts_;
  std::unique_ptr<LlmCaller> llm_;
  std::unique_ptr<Retriever> retriever_;
  AgentServices services_;
  Provenance provenance_;
  ProvenanceSources sources_;
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_CONFIGURATION_RUNNER_H_
