// Builds a provider from a configuration: the client for the wire format, wrapped in
// rate limits and retries, and recording; or a replay provider instead of all that.
// Reads the API key from the environment and checks the endpoint answers, so a
// missing key or an unreachable URL fails here, at start-up, with a clear message.
#ifndef TRITONBENCH_AGENT_LLM_PROVIDER_FACTORY_H_
#define TRITONBENCH_AGENT_LLM_PROVIDER_FACTORY_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/llm/provider.h"
#include "agent/llm/rate_limiter.h"
#include "agent/llm/retrying_provider.h"

namespace tritonbench {

struct ProviderConfig {
  // "openai" (any OpenAI-compatible server), "anthropic" or "gemini".
  std::string provider;
  // Empty: the provider's public endpoint.
  std::string base_url;
  // The environment variable that holds the key. Unset: OPENAI_API_KEY,
  // ANTHROPIC_API_KEY or GEMINI_API_KEY. Set to "": send no key (a local vLLM/Ollama).
  std::optional<std::string> api_key_env;
  absl::Duration timeout = absl::Seconds(300);
  absl::Duration connect_timeout = absl::Seconds(10);
  RetryPolicy retry;
  // The configuration's llm_requests_per_minute (tools/run_config); unlimited by default.
  RateLimits limits;
  // When set, used instead of a new limiter from `limits`: pass the same one to every
  // provider that draws on the same account, so they share its limits.
  std::shared_ptr<RateLimiter> limiter;
  // Record every answered call into this folder (new or empty).
  std::string record_dir;
  // Answer from this transcript folder only: no key, no network.
  std::string replay_dir;
  // Open a connection to the endpoint before returning (skipped when replaying).
  bool probe_endpoint = true;
};

// The default key variable for `provider`, or "" for an unknown provider.
std::string DefaultApiKeyEnv(const std::string& provider);

// The default base URL for `provider`, or "" for an unknown provider.
std::string DefaultBaseUrl(const std::string& provider);

// InvalidArgument for an unknown provider or both record and replay folders;
// FailedPrecondition naming the variable when the key is unset or empty;
// Unavailable naming the URL when the endpoint does not answer; NotFound naming the
// folder when the replay folder holds no transcript.
absl::StatusOr<std::unique_ptr<LlmProvider>> CreateProvider(const ProviderConfig& config);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_LLM_PROVIDER_FACTORY_H_
