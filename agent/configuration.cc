#include "agent/configuration.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace tritonbench {
namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectErrors(std::string path) : path_(std::move(path)) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }
  std::string Joined() const { return absl::StrJoin(errors_, "\n"); }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

absl::Status Bad(const std::string& where, const std::string& field, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", field, ": ", why));
}

}  // namespace

absl::StatusOr<Configuration> ValidateConfiguration(Configuration c, const std::string& where) {
  if (c.name().empty()) return Bad(where, "name", "required");
  if (c.strategy() == STRATEGY_UNSPECIFIED) return Bad(where, "strategy", "ZERO_SHOT, ONE_SHOT or GEAK_AGENT");
  if (c.model().provider().empty()) return Bad(where, "model.provider", "required (openai, anthropic, gemini)");
  if (c.model().name().empty()) return Bad(where, "model.name", "required");
  if (c.hardware().empty()) return Bad(where, "hardware", "required (MI300, H100)");
  if (c.prompts_dir().empty()) return Bad(where, "prompts_dir", "required");
  if (!c.model().has_temperature()) c.mutable_model()->set_temperature(1.0);
  if (c.model().temperature() < 0) return Bad(where, "model.temperature", "must not be negative");
  if (c.llm_concurrency() == 0) c.set_llm_concurrency(4);
  if (c.evaluation_concurrency() == 0) c.set_evaluation_concurrency(1);
  if (c.task_concurrency() == 0) c.set_task_concurrency(1);
  if (c.task_concurrency() < 0) return Bad(where, "task_concurrency", "must be positive");
  if (c.llm_concurrency() < 0 || c.evaluation_concurrency() < 0) return Bad(where, "*_concurrency", "must be positive");
  if (c.llm_requests_per_minute() < 0) return Bad(where, "llm_requests_per_minute", "must not be negative");
  if (c.knowledge() && c.knowledge_dir().empty()) return Bad(where, "knowledge_dir", "required when knowledge is on");
  if (c.strategy() == ONE_SHOT) {
    if (c.one_shot().corpus_dir().empty()) return Bad(where, "one_shot.corpus_dir", "required for ONE_SHOT");
    if (c.one_shot().similarity() == SIMILARITY_UNSPECIFIED) return Bad(where, "one_shot.similarity", "CODE or INSTRUCTION");
  }
  if (c.strategy() == GEAK_AGENT) {
    AgentConfig* a = c.mutable_agent();
    if (a->iterations() < 1) return Bad(where, "agent.iterations", "at least 1");
    if (a->candidates_per_round() == 0) a->set_candidates_per_round(1);
    if (a->parallel_runs() == 0) a->set_parallel_runs(1);
    if (a->max_reflections_in_prompt() == 0) a->set_max_reflections_in_prompt(3);
    if (a->candidates_per_round() < 0 || a->parallel_runs() < 0 || a->max_debug_attempts() < 0) {
      return Bad(where, "agent", "counts must not be negative");
    }
  }
  return c;
}

namespace {

// The configuration `path` describes, before defaults: its base's (recursively), with
// this file's fields written over it. `chain` holds the files being read, to refuse a
// cycle.
absl::StatusOr<Configuration> ReadLayered(const std::string& path, std::vector<std::string>* chain) {
  const std::string canonical = std::filesystem::weakly_canonical(path).string();
  if (std::find(chain->begin(), chain->end(), canonical) != chain->end()) {
    return Bad(path, "base", absl::StrCat("the chain of bases comes back to this file (", absl::StrJoin(*chain, " -> "),
                                          ")"));
  }
  chain->push_back(canonical);
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  Configuration own;
  google::protobuf::TextFormat::Parser parser;
  CollectErrors errors(path);
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*text, &own)) return absl::InvalidArgumentError(errors.Joined());
  if (own.base().empty()) return own;
  const std::string base_path = (std::filesystem::path(path).parent_path() / own.base()).string();
  if (!IsRegularFile(base_path)) return Bad(path, "base", absl::StrCat(base_path, " is not a file"));
  auto layered = ReadLayered(base_path, chain);
  if (!layered.ok()) return layered.status();
  // Merge writes each field the text sets over the base's, a false or a 0 too.
  if (!parser.MergeFromString(*text, &*layered)) return absl::InvalidArgumentError(errors.Joined());
  layered->clear_base();
  return layered;
}

}  // namespace

absl::StatusOr<Configuration> LoadConfiguration(const std::string& path) {
  std::vector<std::string> chain;
  auto config = ReadLayered(path, &chain);
  if (!config.ok()) return config.status();
  return ValidateConfiguration(*std::move(config), path);
}

std::string SamplingText(const ModelConfig& model) {
  std::vector<std::string> parts;
  if (model.has_temperature()) parts.push_back(absl::StrCat("temperature=", model.temperature()));
  if (model.has_max_tokens()) parts.push_back(absl::StrCat("max_tokens=", model.max_tokens()));
  if (model.has_seed()) parts.push_back(absl::StrCat("seed=", model.seed()));
  return absl::StrJoin(parts, " ");
}

}  // namespace tritonbench
