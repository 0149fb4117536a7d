// Record and replay. RecordingProvider passes calls to a real provider and writes each
// answered call to a transcript store (transcript_store.h); ReplayProvider answers
// from such a store without any network, byte for byte what was recorded, and fails
// loudly on a request the store does not hold.
#ifndef TRITONBENCH_AGENT_LLM_RECORD_REPLAY_H_
#define TRITONBENCH_AGENT_LLM_RECORD_REPLAY_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/llm/provider.h"

namespace tritonbench {

class RecordingProvider : public LlmProvider {
 public:
  RecordingProvider(std::unique_ptr<LlmProvider> inner, std::string dir)
      : inner_(std::move(inner)), dir_(std::move(dir)) {}

  // The inner answer, after writing it to the store. Failed calls are not recorded
  // (their error is returned as is); a failure to write the entry is returned instead
  // of the answer, so a recording never silently misses a call.
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return inner_->name(); }

 private:
  std::unique_ptr<LlmProvider> inner_;
  std::string dir_;
  absl::Mutex mu_;
  std::map<std::string, int> occurrences_ ABSL_GUARDED_BY(mu_);
};

class ReplayProvider : public LlmProvider {
 public:
  // Answers as `provider` ("openai", ...: part of every request's key) from `dir`.
  ReplayProvider(std::string provider, std::string dir) : provider_(std::move(provider)), dir_(std::move(dir)) {}

  // The recorded response of the next unanswered occurrence of this request. NotFound
  // naming the request hash, a summary of the request and the folder when the store
  // has none (never seen, or seen fewer times than now asked); DataLoss when the stored
  // entry is corrupt or holds a different request.
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return provider_; }

 private:
  std::string provider_;
  std::string dir_;
  absl::Mutex mu_;
  std::map<std::string, int> occurrences_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_RECORD_REPLAY_H_
