// Microbenchmark: building a leaderboard (aggregation with the bootstrap) from many
// synthetic runs. Reports tasks aggregated per second.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "leaderboard/aggregate.h"

namespace tritonbench {
namespace {

LoadedRuns MakeRuns(int configurations, int runs, int tasks) {
  LoadedRuns loaded;
  for (int c = 0; c < configurations; ++c) {
    for (int r = 0; r < runs; ++r) {
      LoadedRun run;
      run.dir = absl::StrCat("cfg", c, "/run", r);
      run.record.set_suite("s");
      run.record.set_suite_content_hash("h");
      run.record.set_configuration(absl::StrCat("cfg", c));
      for (int t = 0; t < tasks; ++t) {
        EvaluationResult* e = run.record.add_results();
        e->set_task_id(absl::StrCat("task", t));
        const bool ok = (t + r + c) % 3 != 0;
        e->set_call_ok(true);
        e->set_execution_ok(ok);
        e->set_timing_available(ok);
        e->set_speedup(ok ? 0.5 + (t % 7) * 0.3 : 0);
      }
      loaded.runs.push_back(std::move(run));
    }
  }
  return loaded;
}

// 10 configurations x 3 runs x 184 tasks (TritonBench-revised's size).
void BM_BuildLeaderboard(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  LoadedRuns loaded = MakeRuns(10, 3, tasks);
  AggregateOptions options;
  for (auto _ : state) {
    Leaderboard board = BuildLeaderboard(loaded, {}, options);
    benchmark::DoNotOptimize(board);
  }
  state.SetItemsProcessed(state.iterations() * 10 * 3 * tasks);
}
BENCHMARK(BM_BuildLeaderboard)->Arg(30)->Arg(184);

}  // namespace
}  // namespace tritonbench
