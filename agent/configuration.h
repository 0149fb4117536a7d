// Loads and checks a configuration text proto (agent/proto/configuration.proto).
#ifndef TRITONBENCH_AGENT_CONFIGURATION_H_
#define TRITONBENCH_AGENT_CONFIGURATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/proto/configuration.pb.h"

namespace tritonbench {

// Parses `path` (over its `base` configuration when it names one, and that one's base
// first), fills defaults (temperature 1.0, llm_concurrency 4, evaluation_concurrency 1,
// task_concurrency 1; for the agent: 1 candidate, 1 run, 3 reflections) and validates.
// InvalidArgument naming the file (and line, for parse errors) and the field at fault;
// a chain of bases that comes back to a file is refused.
absl::StatusOr<Configuration> LoadConfiguration(const std::string& path);

// The same checks and defaults for a configuration already in memory; `where` names
// it in messages.
absl::StatusOr<Configuration> ValidateConfiguration(Configuration config, const std::string& where);

// "temperature=1 max_tokens=8192": the sampling as given, for ModelInfo.sampling.
std::string SamplingText(const ModelConfig& model);

}  // namespace tritonbench

#endif  // TRITONBENCH_AGENT_CONFIGURATION_H_
