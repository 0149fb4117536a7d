// Microbenchmark: BM25 indexing of the one-shot corpus and ranking one task's query
// (run from the workspace root: bazel run //agent:retrieval_benchmark).
#include <string>
#include <vector>

#include "agent/retrieval.h"
#include "benchmark/benchmark.h"

namespace tritonbench {
namespace {

std::vector<std::string> Docs() {
  std::vector<std::string> docs;
  auto corpus = LoadCorpus("agent/corpus");
  if (corpus.ok()) {
    for (const auto& e : *corpus) docs.push_back(e.code);
  }
  if (docs.empty()) {  // outside the workspace: synthetic kernels of similar size
    for (int i = 0; i < 45; ++i) {
      docs.push_back("import triton\n@triton.jit\ndef k" + std::to_string(i) +
                     "(x_ptr, y_ptr, n, BLOCK: tl.constexpr):\n    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)\n"
                     "    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n) * " +
                     std::to_string(i) + ", mask=offs < n)\n");
    }
  }
  return docs;
}

void BM_Index(benchmark::State& state) {
  auto docs = Docs();
  int64_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  for (auto _ : state) {
    Bm25 index(docs);
    benchmark::DoNotOptimize(index);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * docs.size());
}
BENCHMARK(BM_Index);

void BM_Rank(benchmark::State& state) {
  auto docs = Docs();
  Bm25 index(docs);
  const std::string query = docs[docs.size() / 2];
  for (auto _ : state) benchmark::DoNotOptimize(index.Scores(query));
  state.SetItemsProcessed(state.iterations() * docs.size());
}
BENCHMARK(BM_Rank);

}  // namespace
}  // namespace tritonbench
