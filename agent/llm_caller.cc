#include "agent/llm_caller.h"

#include "agent/llm/accounting.h"

namespace tritonbench {

LlmCaller::LlmCaller(LlmProvider* provider, ModelConfig model, std::optional<PriceTable> prices, bool replayed,
                     int concurrency)
    : provider_(provider),
      model_(std::move(model)),
      prices_(std::move(prices)),
      replayed_(replayed),
      free_slots_(concurrency < 1 ? 1 : concurrency) {}

LlmCall LlmCaller::Chat(const std::vector<ChatMessage>& messages, std::optional<double> temperature,
                        const std::string& replay_tag) {
  ChatRequest request;
  request.set_model(model_.name());
  request.set_replay_tag(replay_tag);
  for (const auto& m : messages) *request.add_messages() = m;
  if (temperature) {
    request.set_temperature(*temperature);
  } else if (model_.has_temperature()) {
    request.set_temperature(model_.temperature());
  }
  if (model_.has_max_tokens()) request.set_max_tokens(model_.max_tokens());
  if (model_.has_seed()) request.set_seed(model_.seed());
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* slots) { return *slots > 0; }, &free_slots_));
    --free_slots_;
  }
  auto answer = provider_->Chat(request);
  {
    absl::MutexLock lock(&mu_);
    ++free_slots_;
  }
  LlmCall call;
  const PriceTable* prices = prices_ ? &*prices_ : nullptr;
  if (answer.ok()) {
    call.response = *answer;
    call.record = MakeCallRecord(provider_->name(), request, *answer, prices, replayed_);
  } else {
    call.status = answer.status();
    call.record = MakeCallRecord(provider_->name(), request, ChatResponse(), prices, replayed_);
    call.record.set_error(std::string(answer.status().message()));
  }
  return call;
}

}  // namespace tritonbench
