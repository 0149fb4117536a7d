#include "leaderboard/current_suite.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

// A tree with suite "s" of tasks a, b, c (and a stray file beside the suite).
class CurrentSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / "current_suite_test";
    fs::remove_all(root_);
    for (const char* task : {"a", "b", "c"}) Write(task, "kernel.py", std::string("# ") + task + "\n");
    std::ofstream(root_ / "BUILD") << "";
  }

  void Write(const std::string& task, const std::string& file, const std::string& text) {
    fs::create_directories(root_ / "s" / task);
    std::ofstream(root_ / "s" / task / "task.textproto") << "id: \"" << task << "\"\n";
    std::ofstream(root_ / "s" / task / file) << text;
  }

  std::string TaskHash(const std::string& task) { return *ContentHash({(root_ / "s" / task).string()}); }

  CurrentSuite Suite() {
    auto suites = ReadCurrentSuites(root_.string());
    EXPECT_TRUE(suites.ok()) << suites.status();
    EXPECT_EQ(suites->size(), 1u);
    return suites->front();
  }

  fs::path root_;
};

EvaluationResult Timed(const std::string& task, double speedup, const std::string& task_hash) {
  EvaluationResult r;
  r.set_task_id(task);
  r.set_call_ok(true);
  r.set_execution_ok(true);
  r.set_timing_available(true);
  r.set_speedup(speedup);
  r.set_task_content_hash(task_hash);
  return r;
}

LoadedRun MakeRun(const std::string& dir, std::vector<EvaluationResult> results, const std::string& suite_hash = "x",
                  const std::string& configuration = "torch_compile") {
  LoadedRun run;
  run.dir = dir;
  run.record.set_suite("s");
  run.record.set_suite_content_hash(suite_hash);
  run.record.set_configuration(configuration);
  run.record.mutable_environment()->set_device_name("GPU X");
  for (auto& r : results) *run.record.add_results() = std::move(r);
  return run;
}

const TaskCell& Cell(const Row& row, const std::string& task) {
  for (const auto& c : row.task_cells()) {
    if (c.task_id() == task) return c;
  }
  static TaskCell none;
  ADD_FAILURE() << "no cell for " << task;
  return none;
}

TEST_F(CurrentSuiteTest, ReadsEveryTaskWithItsHash) {
  CurrentSuite suite = Suite();
  EXPECT_EQ(suite.name, "s");
  ASSERT_EQ(suite.task_hashes.size(), 3u);
  EXPECT_EQ(suite.task_hashes.at("b"), TaskHash("b"));
  EXPECT_EQ(suite.content_hash, *ContentHash({(root_ / "s/a").string(), (root_ / "s/b").string(),
                                               (root_ / "s/c").string()}));
}

TEST_F(CurrentSuiteTest, NoSuiteIsAnError) {
  EXPECT_FALSE(ReadCurrentSuites((root_ / "nowhere").string()).ok());
}

// Two partial runs (a and b; then a again) make one row over a, b, c: a measured twice
// (its spread shown), b once, c never (failed).
TEST_F(CurrentSuiteTest, PartialRunsCombineIntoOneRowOverTheWholeSuite) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("r1", {Timed("a", 2.0, TaskHash("a")), Timed("b", 0.5, TaskHash("b"))}));
  loaded.runs.push_back(MakeRun("r2", {Timed("a", 3.0, TaskHash("a"))}));
  auto rows = CurrentSuiteRows(loaded, {Suite()}, AggregateOptions());
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_TRUE(row.current_suite());
  EXPECT_EQ(row.tasks(), 3);
  EXPECT_EQ(row.run_dirs_size(), 2);
  EXPECT_NEAR(row.execution_accuracy(), 2.0 / 3, 1e-9);
  const TaskCell& a = Cell(row, "a");
  EXPECT_EQ(a.runs(), 2);
  EXPECT_DOUBLE_EQ(a.speedup(), 2.5);
  EXPECT_DOUBLE_EQ(a.speedup_min(), 2.0);
  EXPECT_DOUBLE_EQ(a.speedup_max(), 3.0);
  EXPECT_NEAR(row.task_speedup_spread_max(), 0.4, 1e-9);
  EXPECT_EQ(Cell(row, "b").runs(), 1);
  EXPECT_TRUE(Cell(row, "b").correct());
  EXPECT_FALSE(Cell(row, "c").correct());
  EXPECT_EQ(Cell(row, "c").failures(), "MISSING x1");
  EXPECT_NE(row.flags(0).find("measured 1 never, 1 1x, 1 2x"), std::string::npos) << row.flags(0);
}

// A result of an older copy of the task does not count for the present one.
TEST_F(CurrentSuiteTest, ResultOfAChangedTaskIsLeftOut) {
  const std::string old_hash = TaskHash("a");
  Write("a", "kernel.py", "# a, revised\n");
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("old", {Timed("a", 9.0, old_hash)}));
  loaded.runs.push_back(MakeRun("new", {Timed("a", 1.5, TaskHash("a"))}));
  auto rows = CurrentSuiteRows(loaded, {Suite()}, AggregateOptions());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Cell(rows[0], "a").runs(), 1);
  EXPECT_DOUBLE_EQ(Cell(rows[0], "a").speedup(), 1.5);
  ASSERT_EQ(rows[0].run_dirs_size(), 1);
  EXPECT_EQ(rows[0].run_dirs(0), "new");
}

// Records from before results carried task hashes count when their whole run's suite
// version still equals the tree's copies of its tasks, and not when one task changed.
TEST_F(CurrentSuiteTest, OlderRecordsCountOnlyWhenTheirTasksAreUnchanged) {
  const std::string ab = *ContentHash({(root_ / "s/a").string(), (root_ / "s/b").string()});
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("unchanged", {Timed("a", 2.0, ""), Timed("b", 1.0, "")}, ab));
  loaded.runs.push_back(MakeRun("stale", {Timed("c", 4.0, "")}, "hash-of-an-older-c"));
  auto rows = CurrentSuiteRows(loaded, {Suite()}, AggregateOptions());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Cell(rows[0], "a").runs(), 1);
  EXPECT_EQ(Cell(rows[0], "b").runs(), 1);
  EXPECT_EQ(Cell(rows[0], "c").runs(), 0);
}

TEST_F(CurrentSuiteTest, ConfigurationsAndRunsWithGenerationsStayApart) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("gt", {Timed("a", 1.0, TaskHash("a"))}, "x", "ground_truth"));
  loaded.runs.push_back(MakeRun("tc", {Timed("a", 0.5, TaskHash("a"))}, "x", "torch_compile"));
  LoadedRun agent = MakeRun("agent", {Timed("a", 3.0, TaskHash("a"))}, "x", "geak_agent");
  agent.record.add_generations()->set_task_id("a");
  loaded.runs.push_back(agent);
  auto rows = CurrentSuiteRows(loaded, {Suite()}, AggregateOptions());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].configuration(), "ground_truth");
  EXPECT_EQ(rows[1].configuration(), "torch_compile");
  EXPECT_NE(rows[0].key(), rows[1].key());
}

// In the whole leaderboard they come first in their suite, before the ordinary rows.
TEST_F(CurrentSuiteTest, CurrentRowsLeadTheirSuite) {
  LoadedRuns loaded;
  loaded.runs.push_back(MakeRun("r1", {Timed("a", 2.0, TaskHash("a"))}));
  auto current = CurrentSuiteRows(loaded, {Suite()}, AggregateOptions());
  Leaderboard board = BuildLeaderboard(loaded, {}, AggregateOptions(), current);
  ASSERT_EQ(board.rows_size(), 2);
  EXPECT_TRUE(board.rows(0).current_suite());
  EXPECT_FALSE(board.rows(1).current_suite());
  EXPECT_NE(board.rows(0).key(), board.rows(1).key());
}

}  // namespace
}  // namespace tritonbench
