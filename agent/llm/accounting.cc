#include "agent/llm/accounting.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/llm/canonical_request.h"
#include "common/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace tritonbench {
namespace {

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) first = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string first;
};

}  // namespace

absl::StatusOr<PriceTable> LoadPriceTable(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  PriceTable table;
  google::protobuf::TextFormat::Parser parser;
  Collector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*text, &table)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", errors.first));
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : table.prices()) {
    std::string name = absl::StrCat(p.provider(), "/", p.model());
    if (p.input_usd_per_mtok() < 0 || p.output_usd_per_mtok() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": negative price for ", name));
    }
    if (!seen.emplace(p.provider(), p.model()).second) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", name, " is priced twice"));
    }
  }
  return table;
}

std::optional<double> CostUsd(const PriceTable& prices, const std::string& provider, const std::string& model,
                              const Usage& usage) {
  for (const auto& p : prices.prices()) {
    if (p.provider() == provider && p.model() == model) {
      return (usage.prompt_tokens() * p.input_usd_per_mtok() + usage.completion_tokens() * p.output_usd_per_mtok()) /
             1e6;
    }
  }
  return std::nullopt;
}

CallRecord MakeCallRecord(const std::string& provider, const ChatRequest& request, const ChatResponse& response,
                          const PriceTable* prices, bool replayed) {
  CallRecord record;
  record.set_provider(provider);
  record.set_model(request.model());
  record.set_prompt_tokens(response.usage().prompt_tokens());
  record.set_completion_tokens(response.usage().completion_tokens());
  record.set_latency_s(response.latency_s());
  record.set_retries(response.retries());
  record.set_request_hash(RequestHash(provider, request));
  record.set_replayed(replayed);
  record.set_finish_reason(response.finish_reason());
  if (prices != nullptr) {
    if (auto cost = CostUsd(*prices, provider, request.model(), response.usage())) {
      record.set_cost_usd(*cost);
      record.set_cost_known(true);
    }
  }
  return record;
}

absl::StatusOr<ChatResponse> AccountingProvider::Chat(const ChatRequest& request) {
  auto response = inner_->Chat(request);
  CallRecord record;
  if (response.ok()) {
    record = MakeCallRecord(name(), request, *response, prices_ ? &*prices_ : nullptr, replayed_);
  } else {
    record = MakeCallRecord(name(), request, ChatResponse(), nullptr, replayed_);
    record.set_error(std::string(response.status().message()));
  }
  absl::MutexLock lock(&mu_);
  records_.push_back(std::move(record));
  return response;
}

std::vector<CallRecord> AccountingProvider::TakeRecords() {
  absl::MutexLock lock(&mu_);
  return std::exchange(records_, {});
}

}  // namespace tritonbench
