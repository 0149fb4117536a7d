// One-shot retrieval: the corpus loads, BM25 ranks sensibly, and no benchmark task can
// retrieve itself (no corpus entry shares a task's name or near-identical code).
#include <filesystem>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "agent/retrieval.h"
#include "common/files.h"
#include "gtest/gtest.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

std::vector<CorpusExampleText> Corpus() {
  auto corpus = LoadCorpus("agent/corpus");
  EXPECT_TRUE(corpus.ok()) << corpus.status();
  return corpus.ok() ? *corpus : std::vector<CorpusExampleText>{};
}

// Every task folder this test was given (see BUILD: the suites' task filegroups).
std::vector<Task> Tasks() {
  std::vector<Task> tasks;
  for (const char* suite : {"suites/tritonbench_revised", "suites/rocm"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(suite, ec)) {
      if (!IsRegularFile(e.path().string() + "/task.textproto")) continue;
      auto task = LoadTask(e.path().string());
      EXPECT_TRUE(task.ok()) << task.status();
      if (task.ok()) tasks.push_back(*task);
    }
  }
  return tasks;
}

TEST(Corpus, SeveralDozenDescribedKernels) {
  auto corpus = Corpus();
  EXPECT_GE(corpus.size(), 36u);
  for (const auto& e : corpus) {
    EXPECT_GT(e.description.size(), 20u) << e.name;
    EXPECT_NE(e.code.find("@triton.jit"), std::string::npos) << e.name;
  }
}

TEST(Corpus, NoEntryIsNamedLikeABenchmarkTask) {
  auto names = ReadFile("agent/testdata/benchmark_task_names.txt");
  ASSERT_TRUE(names.ok()) << names.status();
  std::set<std::string> tasks;
  for (absl::string_view line : absl::StrSplit(*names, '\n', absl::SkipEmpty())) {
    if (line[0] != '#') tasks.insert(absl::AsciiStrToLower(line));
  }
  EXPECT_GT(tasks.size(), 150u);
  for (const Task& t : Tasks()) tasks.insert(t.spec.id());
  for (const auto& e : Corpus()) EXPECT_EQ(tasks.count(e.name), 0u) << e.name << " is a benchmark task's name";
}

TEST(Corpus, NoEntryHasNearIdenticalCodeToATaskKernel) {
  auto tasks = Tasks();
  ASSERT_GE(tasks.size(), 20u);
  auto corpus = Corpus();
  for (const Task& t : tasks) {
    auto kernel = ReadFile(t.KernelPath());
    ASSERT_TRUE(kernel.ok());
    for (const auto& e : corpus) {
      EXPECT_LT(CodeOverlap(*kernel, e.code), 0.5) << e.name << " is near-identical to task " << t.spec.id();
    }
  }
}

TEST(Retrieval, NoTaskRetrievesItselfByCodeOrInstruction) {
  auto corpus = Corpus();
  for (Similarity sim : {CODE, INSTRUCTION}) {
    Retriever retriever(corpus, sim);
    for (const Task& t : Tasks()) {
      auto best = retriever.Best(t);
      ASSERT_TRUE(best.ok()) << best.status();
      EXPECT_NE(best->name, t.spec.id());
      auto kernel = ReadFile(t.KernelPath());
      ASSERT_TRUE(kernel.ok());
      EXPECT_LT(CodeOverlap(*kernel, best->code), 0.5) << t.spec.id() << " retrieved " << best->name;
    }
  }
}

TEST(Retrieval, Bm25RanksTheMatchingDocumentFirst) {
  Bm25 index({"row max reduction over columns", "atomic histogram of bins", "sigmoid gate multiply"});
  auto s = index.Scores("histogram with atomic adds");
  EXPECT_GT(s[1], s[0]);
  EXPECT_GT(s[1], s[2]);
  // An entry's own code retrieves itself: the code index works.
  auto corpus = Corpus();
  Bm25 code_index([&] {
    std::vector<std::string> docs;
    for (const auto& e : corpus) docs.push_back(e.code);
    return docs;
  }());
  auto scores = code_index.Scores(corpus[3].code);
  EXPECT_EQ(std::max_element(scores.begin(), scores.end()) - scores.begin(), 3);
}

TEST(Retrieval, CodeAndInstructionSimilarityCanDisagree) {
  auto corpus = Corpus();
  Retriever by_code(corpus, CODE), by_instruction(corpus, INSTRUCTION);
  int differ = 0;
  for (const Task& t : Tasks()) differ += by_code.Best(t)->name != by_instruction.Best(t)->name;
  EXPECT_GT(differ, 0) << "the two similarities rank identically on every task";
}

TEST(Retrieval, AnUpstreamTaskIsRankedByItsInstructionEitherWay) {
  // A task imported from GEAK-eval has no reference.py to rank by code.
  Task task;
  task.dir = "/nonexistent/geak_tbg/add_example";
  task.spec.set_id("add_example");
  task.spec.set_instruction("Write a Triton kernel that adds two vectors elementwise.");
  task.spec.mutable_upstream()->set_kind(UpstreamTask::TRITONBENCH_G);
  for (Similarity similarity : {CODE, INSTRUCTION}) {
    auto query = Retriever::Query(task, similarity);
    ASSERT_TRUE(query.ok()) << query.status();
    EXPECT_EQ(*query, task.spec.instruction());
  }
  Retriever by_code(Corpus(), CODE);
  EXPECT_TRUE(by_code.Best(task).ok());
}

TEST(Retrieval, MissingDescriptionIsReported) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/bad_corpus";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFile(dir + "/x.py", "import triton\n").ok());
  auto corpus = LoadCorpus(dir);
  ASSERT_FALSE(corpus.ok());
  EXPECT_NE(std::string(corpus.status().message()).find("x.py"), std::string::npos);
}

}  // namespace
}  // namespace tritonbench
