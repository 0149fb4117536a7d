#include "leaderboard/run_loader.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

std::string TmpDir(const std::string& name) {
  const char* base = getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

RunRecord GoodRecord(const std::string& run_id) {
  RunRecord r;
  r.set_run_id(run_id);
  r.set_suite("s");
  r.set_suite_content_hash("h");
  r.set_configuration("ground_truth");
  r.set_finished_at("2026-11-25T00:00:00Z");
  for (const char* task : {"a", "b"}) {
    EvaluationResult* e = r.add_results();
    e->set_task_id(task);
    e->set_execution_ok(true);
  }
  r.set_tasks_total(2);
  return r;
}

void WriteRun(const std::string& dir, const RunRecord& record, bool jsonl = true) {
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFile(dir + "/run_record.json", ToJson(record, true)).ok());
  if (!jsonl) return;
  std::string lines;
  for (const auto& r : record.results()) absl::StrAppend(&lines, ToJson(r), "\n");
  ASSERT_TRUE(WriteFile(dir + "/results.jsonl", lines).ok());
}

// The checked-in fixtures (testdata/make_fixtures.py): thirteen runs that load (two of
// them contradict their suite's manifest, which the catalog refuses later), one
// corrupt, one interrupted, one whose results.jsonl disagrees with its record, and one
// orphan results.jsonl.
TEST(RunLoaderTest, FixturesLoadAndBadOnesAreSkippedWithTheirPaths) {
  auto loaded = LoadRuns({"leaderboard/testdata/runs"});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->runs.size(), 13u);
  ASSERT_EQ(loaded->skipped.size(), 4u);
  EXPECT_EQ(loaded->skipped[0].path(), "leaderboard/testdata/runs/bad/corrupt/run_record.json");
  EXPECT_THAT(loaded->skipped[0].reason(), HasSubstr("corrupt run_record.json"));
  EXPECT_EQ(loaded->skipped[1].path(), "leaderboard/testdata/runs/bad/interrupted/run_record.json");
  EXPECT_THAT(loaded->skipped[1].reason(), HasSubstr("run_record.json: interrupted"));
  EXPECT_EQ(loaded->skipped[2].path(), "leaderboard/testdata/runs/bad/jsonl_mismatch/run_record.json");
  EXPECT_THAT(loaded->skipped[2].reason(), HasSubstr("results.jsonl line 1: task_content_hash of 'add' is"));
  EXPECT_EQ(loaded->skipped[3].path(), "leaderboard/testdata/runs/bad/orphan/results.jsonl");
  EXPECT_THAT(loaded->skipped[3].reason(), HasSubstr("without run_record.json"));
  for (const auto& run : loaded->runs) EXPECT_THAT(run.dir, HasSubstr("leaderboard/testdata/runs/"));
}

TEST(RunLoaderTest, EachKindOfBadRecordIsSkippedWithItsReason) {
  const std::string root = TmpDir("bad");
  WriteRun(root + "/good", GoodRecord("good"));
  WriteRun(root + "/good_without_jsonl", GoodRecord("good2"), /*jsonl=*/false);

  RunRecord unfinished = GoodRecord("unfinished");
  unfinished.clear_finished_at();
  WriteRun(root + "/unfinished", unfinished);

  RunRecord short_record = GoodRecord("short");
  short_record.set_tasks_total(3);
  WriteRun(root + "/tasks_total", short_record);

  RunRecord no_hash = GoodRecord("nohash");
  no_hash.clear_suite_content_hash();
  WriteRun(root + "/no_hash", no_hash);

  RunRecord twice = GoodRecord("twice");
  twice.mutable_results(1)->set_task_id("a");
  WriteRun(root + "/twice", twice);

  WriteRun(root + "/jsonl_short", GoodRecord("jsonl"));
  ASSERT_TRUE(WriteFile(root + "/jsonl_short/results.jsonl", ToJson(GoodRecord("x").results(0)) + "\n").ok());

  WriteRun(root + "/jsonl_garbage", GoodRecord("garbage"));
  ASSERT_TRUE(WriteFile(root + "/jsonl_garbage/results.jsonl", "{\"task_id\": \"a\"}\nnot json\n").ok());

  RunRecord hashed = GoodRecord("hashed");
  hashed.mutable_results(1)->set_task_content_hash(std::string(64, 'a'));
  WriteRun(root + "/jsonl_other_task", hashed);
  hashed.mutable_results(1)->set_task_content_hash(std::string(64, 'b'));
  std::string lines = ToJson(hashed.results(0)) + "\n" + ToJson(hashed.results(1)) + "\n";
  ASSERT_TRUE(WriteFile(root + "/jsonl_other_task/results.jsonl", lines).ok());

  WriteRun(root + "/z_copy_of_good", GoodRecord("good"));
  std::filesystem::create_directories(root + "/not_json");
  ASSERT_TRUE(WriteFile(root + "/not_json/run_record.json", "").ok());

  auto loaded = LoadRuns({root});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->runs.size(), 2u);
  EXPECT_EQ(loaded->runs[0].dir, root + "/good");
  EXPECT_EQ(loaded->runs[1].dir, root + "/good_without_jsonl");
  std::map<std::string, std::string> reasons;
  for (const auto& s : loaded->skipped) reasons[s.path()] = s.reason();
  ASSERT_EQ(reasons.size(), 9u);
  auto reason = [&](const std::string& folder) { return reasons[root + "/" + folder + "/run_record.json"]; };
  EXPECT_THAT(reason("unfinished"), HasSubstr("run_record.json: finished_at: missing (the run never finished)"));
  EXPECT_THAT(reason("tasks_total"), HasSubstr("run_record.json: tasks_total: 3 but 2 results"));
  EXPECT_THAT(reason("no_hash"), HasSubstr("run_record.json: suite_content_hash: missing"));
  EXPECT_THAT(reason("twice"), HasSubstr("run_record.json: results[1].task_id: 'a' evaluated twice"));
  EXPECT_THAT(reason("jsonl_other_task"),
              HasSubstr("results.jsonl line 2: task_content_hash of 'b' is '" + std::string(64, 'b') +
                        "', run_record.json's is '" + std::string(64, 'a') + "'"));
  EXPECT_THAT(reason("jsonl_short"), HasSubstr("results.jsonl has 1 results, run_record.json 2"));
  EXPECT_THAT(reason("jsonl_garbage"), HasSubstr("results.jsonl line 2"));
  EXPECT_THAT(reason("z_copy_of_good"), HasSubstr("duplicate: run_id good already loaded from " + root + "/good"));
  EXPECT_THAT(reason("not_json"), HasSubstr("corrupt run_record.json"));
}

// A sharded run counts once, through its merged record: its shards' records beside it
// are skipped, saying so.
TEST(RunLoaderTest, ShardsCountOnlyThroughTheirMergedRun) {
  const std::string root = TmpDir("sharded");
  RunRecord merged = GoodRecord("merged");
  merged.add_merged_shards()->set_run_id("shard0");
  WriteRun(root + "/run", merged);
  RunRecord shard = GoodRecord("shard0");
  shard.mutable_shard()->set_index(0);
  shard.mutable_shard()->set_count(2);
  WriteRun(root + "/run/shards/shard-0-of-2", shard);
  auto loaded = LoadRuns({root});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->runs.size(), 1u);
  EXPECT_EQ(loaded->runs[0].dir, root + "/run");
  ASSERT_EQ(loaded->skipped.size(), 1u);
  EXPECT_EQ(loaded->skipped[0].path(), root + "/run/shards/shard-0-of-2/run_record.json");
  EXPECT_THAT(loaded->skipped[0].reason(), HasSubstr("a shard (0/2) of a sharded run: counted only in the run"));
}

TEST(RunLoaderTest, MissingRootIsAnError) {
  auto loaded = LoadRuns({"/nonexistent/runs"});
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tritonbench
