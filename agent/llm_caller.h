// The agent's one way to the model: sends chat requests with the configuration's
// model and sampling through a provider (agent/llm), at most `concurrency` in flight,
// and returns each answer with its accounting record (agent/llm/accounting.h).
#ifndef TRITONBENCH_AGENT_LLM_CALLER_H_
#define TRITONBENCH_AGENT_LLM_CALLER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/llm/provider.h"
#include "agent/proto/configuration.pb.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

struct LlmCall {
  // Set when the call failed (after the provider's retries); then response is empty.
  absl::Status status;
  ChatResponse response;
  CallRecord record;
};

class LlmCaller {
 public:
  // `provider` must outlive this; `prices` may be empty (cost unknown).
  LlmCaller(LlmProvider* provider, ModelConfig model, std::optional<PriceTable> prices, bool replayed,
            int concurrency);

  // One request with the model's settings; `temperature` overrides the model's when set;
  // `replay_tag` names the asker for record/replay (ChatRequest.replay_tag).
  // Never fails as a whole: a failed call comes back with its status and a record
  // carrying the error, so that it is accounted. Thread-safe.
  LlmCall Chat(const std::vector<ChatMessage>& messages, std::optional<double> temperature = std::nullopt,
               const std::string& replay_tag = "");

  const ModelConfig& model() const { return model_; }

 private:
  LlmProvider* provider_;
  ModelConfig model_;
  std::optional<PriceTable> prices_;
  bool replayed_;
  absl::Mutex mu_;
  int free_slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_CALLER_H_
