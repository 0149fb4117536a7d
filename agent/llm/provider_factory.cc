#include "agent/llm/provider_factory.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/llm/anthropic_client.h"
#include "agent/llm/client_common.h"
#include "agent/llm/gemini_client.h"
#include "agent/llm/http_client.h"
#include "agent/llm/openai_client.h"
#include "agent/llm/record_replay.h"
#include "agent/llm/transcript_store.h"

namespace tritonbench {

std::string DefaultApiKeyEnv(const std::string& provider) {
  if (provider == "openai") return "OPENAI_API_KEY";
  if (provider == "anthropic") return "ANTHROPIC_API_KEY";
  if (provider == "gemini") return "GEMINI_API_KEY";
  return "";
}

std::string DefaultBaseUrl(const std::string& provider) {
  if (provider == "openai") return kOpenAiDefaultBaseUrl;
  if (provider == "anthropic") return kAnthropicDefaultBaseUrl;
  if (provider == "gemini") return kGeminiDefaultBaseUrl;
  return "";
}

absl::StatusOr<std::unique_ptr<LlmProvider>> CreateProvider(const ProviderConfig& config) {
  if (DefaultBaseUrl(config.provider).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown provider \"", config.provider, "\": expected openai, anthropic or gemini"));
  }
  if (!config.record_dir.empty() && !config.replay_dir.empty()) {
    return absl::InvalidArgumentError("record and replay folders are exclusive: give one");
  }
  if (!config.replay_dir.empty()) {
    if (CountTranscriptEntries(config.replay_dir) == 0) {
      return absl::NotFoundError(absl::StrCat("replay folder ", config.replay_dir, " holds no transcript entries"));
    }
    return std::unique_ptr<LlmProvider>(new ReplayProvider(config.provider, config.replay_dir));
  }

  ClientOptions options;
  options.base_url = config.base_url.empty() ? DefaultBaseUrl(config.provider) : config.base_url;
  options.timeout = config.timeout;
  options.connect_timeout = config.connect_timeout;
  const std::string key_env = config.api_key_env.value_or(DefaultApiKeyEnv(config.provider));
  if (!key_env.empty()) {
    const char* key = std::getenv(key_env.c_str());
    if (key == nullptr || key[0] == '\0') {
      return absl::FailedPreconditionError(absl::StrCat(
          config.provider, ": the API key variable ", key_env,
          " is not set; export it (for a server that needs no key, give an empty key variable: --api_key_env= in the tools)"));
    }
    options.api_key = key;
  }
  if (config.probe_endpoint) {
    if (auto s = ProbeEndpoint(options.base_url, config.connect_timeout); !s.ok()) {
      return absl::UnavailableError(absl::StrCat(config.provider, ": ", s.message()));
    }
  }

  std::unique_ptr<LlmProvider> provider;
  if (config.provider == "openai") provider = std::make_unique<OpenAiClient>(options);
  if (config.provider == "anthropic") provider = std::make_unique<AnthropicClient>(options);
  if (config.provider == "gemini") provider = std::make_unique<GeminiClient>(options);
  std::shared_ptr<RateLimiter> limiter =
      config.limiter ? config.limiter : std::make_shared<RateLimiter>(config.limits);
  provider = std::make_unique<RateLimitedProvider>(std::move(provider), std::move(limiter));
  provider = std::make_unique<RetryingProvider>(std::move(provider), config.retry);
  if (!config.record_dir.empty()) {
    provider = std::make_unique<RecordingProvider>(std::move(provider), config.record_dir);
  }
  return provider;
}

}  // namespace tritonbench
