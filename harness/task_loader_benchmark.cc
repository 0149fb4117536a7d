// Parses and validates a real task spec; reports specs per second and bytes per second.
// Run from the workspace root: bazel run //harness:task_loader_benchmark
#include <cstdlib>

#include "benchmark/benchmark.h"
#include "common/files.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

void BM_ParseTaskSpec(benchmark::State& state) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  std::string path = std::string(ws ? std::string(ws) + "/" : "") +
                     "suites/tritonbench_revised/vector_addition/task.textproto";
  auto text = ReadFile(path);
  if (!text.ok()) {
    state.SkipWithError(std::string(text.status().message()).c_str());
    return;
  }
  const std::string& spec = *text;
  for (auto _ : state) {
    auto parsed = ParseTaskSpec(spec, path);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * spec.size());
}
BENCHMARK(BM_ParseTaskSpec);

}  // namespace
}  // namespace tritonbench
