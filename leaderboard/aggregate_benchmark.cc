// Microbenchmark: building a leaderboard (release placement, aggregation with the
// bootstrap) from many synthetic runs. Reports tasks aggregated per second.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/release.h"
#include "harness/suite.h"
#include "leaderboard/aggregate.h"

namespace tritonbench {
namespace {

SuiteCatalog MakeSuite(int tasks) {
  SuiteCatalog suite;
  suite.name = "s";
  suite.dir = "suites/s";
  suite.releases.set_suite("s");
  Release* release = suite.releases.add_releases();
  release->set_name("1.0");
  for (int t = 0; t < tasks; ++t) {
    ReleasedTask* task = release->add_tasks();
    task->set_id(absl::StrCat("task", 1000 + t));  // sorted by id
    task->set_content_hash(Sha256Hex(task->id()));
    suite.categories[task->id()] = absl::StrCat("category", t % 10);
  }
  release->set_manifest_hash(ManifestHash(*release));
  return suite;
}

// Half the configurations are LLM ones (a generation per task), half combine runs.
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
        const std::string id = absl::StrCat("task", 1000 + t);
        EvaluationResult* e = run.record.add_results();
        e->set_task_id(id);
        e->set_task_content_hash(Sha256Hex(id));
        const bool ok = (t + r + c) % 3 != 0;
        e->set_call_ok(true);
        e->set_execution_ok(ok);
        e->set_timing_available(ok);
        e->set_speedup(ok ? 0.5 + (t % 7) * 0.3 : 0);
        if (c % 2 == 0) {
          TaskGeneration* g = run.record.add_generations();
          g->set_task_id(id);
          g->set_iterations(10);
          if (ok) g->set_iterations_to_first_correct(1 + t % 10);
        }
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
  const std::vector<SuiteCatalog> suites = {MakeSuite(tasks)};
  AggregateOptions options;
  for (auto _ : state) {
    Leaderboard board = BuildLeaderboard(loaded, suites, {}, options);
    benchmark::DoNotOptimize(board);
  }
  state.SetItemsProcessed(state.iterations() * 10 * 3 * tasks);
}
BENCHMARK(BM_BuildLeaderboard)->Arg(30)->Arg(184);

}  // namespace
}  // namespace tritonbench
