// Microbenchmarks of the per-call work beside the network: the canonical request and
// its SHA-256 (the transcript key), and parsing a provider's answer.
//   bazel run -c opt //agent/llm:llm_benchmark
#include <string>

#include <nlohmann/json.hpp>

#include "agent/llm/anthropic_client.h"
#include "agent/llm/canonical_request.h"
#include "agent/llm/openai_client.h"
#include "benchmark/benchmark.h"

namespace tritonbench {
namespace {

// An agent's request after a few turns: a long system prompt, a task, earlier
// candidate kernels and their verdicts.
ChatRequest AgentRequest(int turns) {
  ChatRequest r;
  r.set_model("gpt-4o");
  r.set_temperature(0.2);
  r.set_max_tokens(4096);
  auto add = [&](ChatMessage::Role role, const std::string& text) {
    auto* m = r.add_messages();
    m->set_role(role);
    m->set_content(text);
  };
  add(ChatMessage::SYSTEM, std::string(2000, 's'));
  for (int i = 0; i < turns; ++i) {
    add(ChatMessage::USER, std::string(3000, 'u'));
    add(ChatMessage::ASSISTANT, std::string(4000, 'a'));
  }
  return r;
}

void BM_RequestHash(benchmark::State& state) {
  ChatRequest request = AgentRequest(state.range(0));
  size_t bytes = CanonicalRequest("openai", request).size();
  for (auto _ : state) benchmark::DoNotOptimize(RequestHash("openai", request));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_RequestHash)->Arg(1)->Arg(8);

std::string KernelAnswer() {
  std::string kernel;
  for (int i = 0; i < 80; ++i) kernel += "    x = tl.load(x_ptr + offsets, mask=mask)  # \"line\"\n";
  return kernel;
}

void BM_ParseOpenAiResponse(benchmark::State& state) {
  nlohmann::json body = {
      {"model", "gpt-4o"},
      {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", KernelAnswer()}}},
                    {"finish_reason", "stop"}}}},
      {"usage", {{"prompt_tokens", 5000}, {"completion_tokens", 1200}}}};
  const std::string text = body.dump();
  for (auto _ : state) benchmark::DoNotOptimize(ParseOpenAiResponse(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_ParseOpenAiResponse);

void BM_ParseAnthropicResponse(benchmark::State& state) {
  nlohmann::json body = {{"model", "claude"},
                         {"content", {{{"type", "text"}, {"text", KernelAnswer()}}}},
                         {"stop_reason", "end_turn"},
                         {"usage", {{"input_tokens", 5000}, {"output_tokens", 1200}}}};
  const std::string text = body.dump();
  for (auto _ : state) benchmark::DoNotOptimize(ParseAnthropicResponse(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_ParseAnthropicResponse);

}  // namespace
}  // namespace tritonbench
