// chat: one chat call through the provider stack, to check a provider, a key, a
// local server or a transcript by hand.
//
//   chat --provider=openai --model=gpt-4o-mini --prompt="Say hi"
//   chat --provider=openai --base_url=http://127.0.0.1:8000 --api_key_env= --model=Qwen/Qwen3-8B --prompt=hi
//   chat --provider=anthropic --model=claude-sonnet-4-5 --prompt=hi --record_dir=/tmp/t
//   chat --provider=anthropic --model=claude-sonnet-4-5 --prompt=hi --replay_dir=/tmp/t
//
// Prints the answer, then one line of usage and accounting. Keys come only from the
// environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, or --api_key_env).
// Exit status: 0 on an answer, 1 when the call failed (one line on stderr saying why),
// 2 for bad usage.
#include <cmath>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agent/llm/accounting.h"
#include "agent/llm/provider_factory.h"

ABSL_FLAG(std::string, provider, "", "openai (any OpenAI-compatible server), anthropic or gemini");
ABSL_FLAG(std::string, model, "", "The provider's model name");
ABSL_FLAG(std::string, prompt, "", "The user message");
ABSL_FLAG(std::string, system, "", "An optional system message");
ABSL_FLAG(std::string, base_url, "", "Endpoint without the API path; default: the provider's public one");
ABSL_FLAG(std::string, api_key_env, "auto",
          "Environment variable holding the key; auto: the provider's usual one; empty: send no key");
ABSL_FLAG(double, temperature, NAN, "Sampling temperature; default: the provider's");
ABSL_FLAG(int32_t, max_tokens, 0, "Most tokens to generate; 0: the provider's default");
ABSL_FLAG(int64_t, seed, -1, "Sampling seed where supported; -1: none");
ABSL_FLAG(double, timeout_s, 120, "Limit for one HTTP exchange");
ABSL_FLAG(int32_t, max_attempts, 5, "Attempts for 429/5xx/transport failures (1: no retries)");
ABSL_FLAG(double, initial_backoff_s, 1, "First retry's backoff cap (doubles each retry, with jitter)");
ABSL_FLAG(std::string, record_dir, "", "Record the call into this transcript folder");
ABSL_FLAG(std::string, replay_dir, "", "Answer from this transcript folder (no key, no network)");
ABSL_FLAG(std::string, prices, "", "PriceTable text proto: reports the call's cost");

namespace tritonbench {
namespace {

int Main() {
  const std::string provider_name = absl::GetFlag(FLAGS_provider);
  if (provider_name.empty() || absl::GetFlag(FLAGS_model).empty() || absl::GetFlag(FLAGS_prompt).empty()) {
    std::cerr << "chat: --provider, --model and --prompt are required (see --help)\n";
    return 2;
  }
  ProviderConfig config;
  config.provider = provider_name;
  config.base_url = absl::GetFlag(FLAGS_base_url);
  if (absl::GetFlag(FLAGS_api_key_env) != "auto") config.api_key_env = absl::GetFlag(FLAGS_api_key_env);
  config.timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_s));
  config.connect_timeout = absl::Seconds(std::min(10.0, absl::GetFlag(FLAGS_timeout_s)));
  config.retry.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  config.retry.initial_backoff = absl::Seconds(absl::GetFlag(FLAGS_initial_backoff_s));
  config.record_dir = absl::GetFlag(FLAGS_record_dir);
  config.replay_dir = absl::GetFlag(FLAGS_replay_dir);

  std::optional<PriceTable> prices;
  if (!absl::GetFlag(FLAGS_prices).empty()) {
    auto table = LoadPriceTable(absl::GetFlag(FLAGS_prices));
    if (!table.ok()) {
      std::cerr << "chat: " << table.status().message() << "\n";
      return 2;
    }
    prices = *table;
  }
  auto provider = CreateProvider(config);
  if (!provider.ok()) {
    std::cerr << "chat: " << provider.status().message() << "\n";
    return absl::IsInvalidArgument(provider.status()) ? 2 : 1;
  }

  ChatRequest request;
  request.set_model(absl::GetFlag(FLAGS_model));
  if (!absl::GetFlag(FLAGS_system).empty()) {
    auto* m = request.add_messages();
    m->set_role(ChatMessage::SYSTEM);
    m->set_content(absl::GetFlag(FLAGS_system));
  }
  auto* m = request.add_messages();
  m->set_role(ChatMessage::USER);
  m->set_content(absl::GetFlag(FLAGS_prompt));
  if (!std::isnan(absl::GetFlag(FLAGS_temperature))) request.set_temperature(absl::GetFlag(FLAGS_temperature));
  if (absl::GetFlag(FLAGS_max_tokens) > 0) request.set_max_tokens(absl::GetFlag(FLAGS_max_tokens));
  if (absl::GetFlag(FLAGS_seed) >= 0) request.set_seed(absl::GetFlag(FLAGS_seed));

  auto response = (*provider)->Chat(request);
  if (!response.ok()) {
    std::cerr << "chat: " << response.status().message() << "\n";
    return 1;
  }
  CallRecord record = MakeCallRecord(provider_name, request, *response, prices ? &*prices : nullptr,
                                     !config.replay_dir.empty());
  std::cout << response->text() << "\n";
  std::cout << absl::StrFormat(
      "[usage] model=%s finish=%s prompt_tokens=%d completion_tokens=%d latency_s=%.3f retries=%d cost_usd=%s "
      "replayed=%s request=%s\n",
      response->model(), response->finish_reason(), record.prompt_tokens(), record.completion_tokens(),
      record.latency_s(), record.retries(),
      record.cost_known() ? absl::StrFormat("%.6f", record.cost_usd()) : std::string("unknown"),
      record.replayed() ? "true" : "false", record.request_hash());
  return 0;
}

}  // namespace
}  // namespace tritonbench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("One chat call: chat --provider=openai|anthropic|gemini --model=M --prompt=P");
  absl::ParseCommandLine(argc, argv);
  return tritonbench::Main();
}
