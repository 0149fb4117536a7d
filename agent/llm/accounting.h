// Accounting for LLM calls: the price table, the cost of a call, and the CallRecord
// (provider, model, tokens, latency, cost, retries, request hash) that configurations
// put into run records.
#ifndef TRITONBENCH_AGENT_LLM_ACCOUNTING_H_
#define TRITONBENCH_AGENT_LLM_ACCOUNTING_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/llm/provider.h"
#include "agent/proto/llm.pb.h"

namespace tritonbench {

// Reads a PriceTable text proto; InvalidArgument naming the file and line when it
// does not parse, or naming the entry when a price is negative or a model repeats.
absl::StatusOr<PriceTable> LoadPriceTable(const std::string& path);

// US dollars for `usage` of `provider`/`model`; nullopt when the table has no price.
std::optional<double> CostUsd(const PriceTable& prices, const std::string& provider, const std::string& model,
                              const Usage& usage);

// The record of one answered call. `prices` may be null (cost unknown).
CallRecord MakeCallRecord(const std::string& provider, const ChatRequest& request, const ChatResponse& response,
                          const PriceTable* prices, bool replayed);

// Passes calls through and keeps a CallRecord of every call, in completion order: a
// failed call's record carries its error. The price table (optional) is looked up by
// the requested model.
class AccountingProvider : public LlmProvider {
 public:
  AccountingProvider(std::unique_ptr<LlmProvider> inner, std::optional<PriceTable> prices, bool replayed)
      : inner_(std::move(inner)), prices_(std::move(prices)), replayed_(replayed) {}
  absl::StatusOr<ChatResponse> Chat(const ChatRequest& request) override;
  std::string name() const override { return inner_->name(); }

  // The records so far; clears them.
  std::vector<CallRecord> TakeRecords();

 private:
  std::unique_ptr<LlmProvider> inner_;
  std::optional<PriceTable> prices_;
  bool replayed_;
  absl::Mutex mu_;
  std::vector<CallRecord> records_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_ACCOUNTING_H_
