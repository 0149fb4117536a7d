// Shards of a run: the flag, the split (by cost, by name, deterministic), the part one
// runner takes of real task folders, resuming, where shards stand, and merging them
// (shard folders written by the real RunFolder) with every refusal named.
#include "harness/shards.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "common/json.h"
#include "common/run_folder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/evaluator.h"
#include "harness/run_release.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

std::string TestDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(tmp ? tmp : "/tmp", "/shards-", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(ParseShardTest, TakesIOfN) {
  auto spec = ParseShard("3/4");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->index, 3);
  EXPECT_EQ(spec->count, 4);
}

TEST(ParseShardTest, BadFlagsAreNamed) {
  EXPECT_THAT(Message(ParseShard("5/4").status()), HasSubstr("--shard=5/4: the shard index must be from 0 to 3"));
  EXPECT_THAT(Message(ParseShard("4/4").status()), HasSubstr("from 0 to 3"));
  EXPECT_THAT(Message(ParseShard("-1/4").status()), HasSubstr("from 0 to 3"));
  EXPECT_THAT(Message(ParseShard("0/0").status()), HasSubstr("N must be at least 1"));
  EXPECT_THAT(Message(ParseShard("2").status()), HasSubstr("--shard=2: give I/N"));
  EXPECT_THAT(Message(ParseShard("a/b").status()), HasSubstr("give I/N"));
}

std::vector<std::pair<std::string, std::string>> Tasks(const std::vector<std::string>& ids) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& id : ids) out.emplace_back(id, Sha256Hex(id));
  return out;
}

std::vector<std::string> ShardTasks(const ShardInfo& split, int index) {
  std::vector<std::string> out;
  for (const auto& t : split.tasks()) {
    if (t.shard() == index) out.push_back(t.task_id());
  }
  return out;
}

TEST(SplitTasksTest, ByNameDealsSortedIds) {
  ShardInfo split = SplitTasks(Tasks({"e", "a", "d", "b", "c"}), 2, {});
  EXPECT_EQ(split.balanced_by(), "name");
  ASSERT_EQ(split.tasks_size(), 5);
  EXPECT_EQ(split.tasks(0).task_id(), "e") << "the run's order is kept";
  EXPECT_THAT(ShardTasks(split, 0), ElementsAre("e", "a", "c"));
  EXPECT_THAT(ShardTasks(split, 1), ElementsAre("d", "b"));
}

TEST(SplitTasksTest, ByCostLongestFirstToTheLeastLoaded) {
  ShardInfo split = SplitTasks(Tasks({"a", "b", "c", "d", "e", "f"}), 2,
                               {{"a", 10}, {"b", 9}, {"c", 1}, {"d", 1}, {"e", 1}, {"f", 8}});
  EXPECT_EQ(split.balanced_by(), "cost");
  EXPECT_THAT(ShardTasks(split, 0), ElementsAre("a", "c", "d", "e"));
  EXPECT_THAT(ShardTasks(split, 1), ElementsAre("b", "f"));
  EXPECT_EQ(split.tasks(0).cost_seconds(), 10);
}

TEST(SplitTasksTest, AnUnmeasuredTaskCountsAsTheMean) {
  ShardInfo split = SplitTasks(Tasks({"a", "b", "new"}), 2, {{"a", 4}, {"b", 2}});
  EXPECT_EQ(split.tasks(2).cost_seconds(), 3);
  // a (4) -> 0; new (3) -> 1; b (2) -> 1 (3 < 4).
  EXPECT_THAT(ShardTasks(split, 0), ElementsAre("a"));
  EXPECT_THAT(ShardTasks(split, 1), ElementsAre("b", "new"));
}

TEST(SplitTasksTest, DeterministicAndEveryTaskOnce) {
  std::vector<std::string> ids;
  std::map<std::string, double> costs;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(absl::StrCat("task", i));
    costs[ids.back()] = (i * 37) % 11 + 0.5;
  }
  ShardInfo one = SplitTasks(Tasks(ids), 7, costs);
  ShardInfo two = SplitTasks(Tasks(ids), 7, costs);
  EXPECT_EQ(one.split_sha256(), two.split_sha256());
  EXPECT_EQ(ToJson(one), ToJson(two));
  std::multiset<std::string> all;
  std::vector<double> load(7, 0);
  for (const auto& t : one.tasks()) {
    all.insert(t.task_id());
    load[t.shard()] += t.cost_seconds();
  }
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 40u);
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  EXPECT_LE(*hi - *lo, 11) << "no shard is more than the longest task behind another";
  costs["task3"] += 100;
  EXPECT_NE(SplitTasks(Tasks(ids), 7, costs).split_sha256(), one.split_sha256());
  EXPECT_NE(SplitTasks(Tasks(ids), 7, {}).split_sha256(), one.split_sha256());
}

TEST(ReadTaskCostsTest, AveragesEveryRecordBelow) {
  const std::string dir = TestDir("costs");
  fs::create_directories(dir + "/run/shards/shard-0-of-2");
  ASSERT_TRUE(WriteFile(dir + "/run/results.jsonl",
                        "{\"task_id\":\"a\",\"wall_seconds\":4}\n{\"task_id\":\"b\",\"wall_seconds\":1}\n")
                  .ok());
  ASSERT_TRUE(WriteFile(dir + "/run/shards/shard-0-of-2/results.jsonl", "{\"task_id\":\"a\",\"wall_seconds\":2}\n").ok());
  auto costs = ReadTaskCosts(dir + "/run");
  ASSERT_TRUE(costs.ok()) << costs.status();
  EXPECT_EQ(costs->at("a"), 3);
  EXPECT_EQ(costs->at("b"), 1);
  auto file = ReadTaskCosts(dir + "/run/results.jsonl");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->at("a"), 4);
  EXPECT_THAT(Message(ReadTaskCosts(dir + "/nothing").status()), HasSubstr("no results.jsonl there"));
}

// A suite of three real ROCm tasks with the suite's manifest, as a runner sees it.
std::vector<std::string> CopySuite(const std::string& root) {
  const std::string suite = root + "/rocm";
  fs::create_directories(suite);
  fs::copy_file("suites/rocm/releases.textproto", suite + "/releases.textproto");
  std::vector<std::string> dirs;
  for (const char* t : {"test_add_kernel", "test_block_copy", "test_triton_flip"}) {
    fs::copy(absl::StrCat("suites/rocm/", t), absl::StrCat(suite, "/", t), fs::copy_options::recursive);
    dirs.push_back(absl::StrCat(suite, "/", t));
  }
  return dirs;
}

TEST(SelectShardTest, TakesItsPartOfTheWholeRun) {
  const std::string dir = TestDir("select");
  auto dirs = CopySuite(dir);
  const std::vector<std::string> ids = {"test_add_kernel", "test_block_copy", "test_triton_flip"};
  auto one = SelectShard(dirs, ids, {1, 2}, "");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_THAT(one->tasks, ElementsAre(1u));  // by name: add, flip -> 0; copy -> 1
  EXPECT_EQ(one->info.index(), 1);
  EXPECT_EQ(one->info.count(), 2);
  EXPECT_EQ(*ContentHash(dirs), one->info.run_suite_content_hash());
  RunRecord whole;
  RunReleases::Load(dirs)->MarkRun(&whole);
  EXPECT_EQ(one->info.run_release(), whole.release());
  EXPECT_NE(one->info.run_release(), "unreleased") << "the copied tasks are those of a release";
  EXPECT_EQ(one->info.tasks(0).task_content_hash(), *ContentHash({dirs[0]}));
  auto zero = SelectShard(dirs, ids, {0, 2}, "");
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_THAT(zero->tasks, ElementsAre(0u, 2u));
  EXPECT_EQ(zero->info.split_sha256(), one->info.split_sha256());
  EXPECT_THAT(Message(SelectShard(dirs, ids, {0, 2}, dir + "/none").status()), HasSubstr("--shard_costs="));
}

TEST(TakeShardTest, KeepsTheShardsTasksOnly) {
  const std::string dir = TestDir("take");
  std::vector<std::string> dirs = CopySuite(dir);
  std::vector<Task> tasks;
  for (const auto& d : dirs) tasks.push_back(*LoadTask(d));
  std::vector<Task> all = tasks;
  std::vector<std::string> all_dirs = dirs;
  auto none = TakeShard("", "", &all, &all_dirs);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(all.size(), 3u);
  EXPECT_THAT(Message(TakeShard("", dir, &all, &all_dirs).status()), HasSubstr("--shard_costs needs --shard"));
  EXPECT_THAT(Message(TakeShard("2/2", "", &all, &all_dirs).status()), HasSubstr("--shard=2/2"));
  auto zero = TakeShard("0/2", "", &tasks, &dirs);
  ASSERT_TRUE(zero.ok()) << zero.status();
  ASSERT_TRUE(zero->has_value());
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].spec.id(), "test_add_kernel");
  EXPECT_EQ(tasks[1].spec.id(), "test_triton_flip");
  EXPECT_EQ(dirs[1], tasks[1].dir);
  EXPECT_EQ(ShardSummary(**zero), "shard 0/2: 2 of 3 task(s), balanced by name");
}

// The shard folders of a run written as a runner writes them.
class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = TestDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    split_ = SplitTasks(Tasks({"t0", "t1", "t2", "t3", "t4"}), 3, {});
    split_.set_run_suite_content_hash(Sha256Hex("whole"));
    split_.set_run_release("1.0");
    split_.set_run_release_manifest_hash(Sha256Hex("manifest"));
  }

  RunRecord Header(int index) {
    RunRecord h;
    h.set_run_id(absl::StrCat("run-", index));
    h.set_started_at(absl::StrCat("2026-12-07T10:0", index, ":00Z"));
    h.set_harness_version(kHarnessVersion);
    h.set_harness_content_hash(Sha256Hex("harness"));
    h.set_configuration("ground_truth");
    h.set_suite("rocm");
    h.set_suite_content_hash(Sha256Hex(absl::StrCat("part", index)));
    *h.mutable_settings() = DefaultSettings();
    h.mutable_settings()->set_gpu_lock_path(absl::StrCat("/tmp/tb-", index, "/gpu.lock"));
    h.mutable_environment()->set_backend("cuda");
    h.mutable_environment()->set_device_name("NVIDIA H100 80GB HBM3");
    h.mutable_environment()->set_device_count(index == 2 ? 8 : 1);
    h.mutable_environment()->set_hostname(absl::StrCat("node", index));
    h.set_release("1.0");
    *h.mutable_shard() = split_;
    h.mutable_shard()->set_index(index);
    return h;
  }

  EvaluationResult Result(const std::string& id) {
    EvaluationResult r;
    r.set_task_id(id);
    r.set_call_ok(true);
    r.set_execution_ok(id != "t3");
    r.set_failure_kind(id != "t3" ? NONE : WRONG_VALUES);
    r.set_task_content_hash(Sha256Hex(id));
    r.set_wall_seconds(1.5);
    (*r.mutable_stage_seconds())["correctness case"] = 0.25;
    (*r.mutable_stage_seconds())["reference outputs"] = 0.5;
    return r;
  }

  // Shard `index` with results for `done` of its tasks; finished unless `finish` is false.
  std::string Shard(int index, RunRecord header, std::vector<std::string> done = {}, bool finish = true) {
    const std::string dir = absl::StrCat(root_, "/shards/", ShardFolderName(index, 3));
    if (done.empty()) done = ShardTasks(split_, index);
    auto w = RunFolder::Create(dir, std::move(header));
    EXPECT_TRUE(w.ok()) << w.status();
    for (const auto& id : done) EXPECT_TRUE((*w)->Append(Result(id)).ok());
    if (finish) {
      EXPECT_TRUE((*w)->Finish(false).ok());
    }
    return dir;
  }

  void AllShards() {
    for (int i = 0; i < 3; ++i) Shard(i, Header(i));
  }

  std::string root_;
  ShardInfo split_;
};

TEST_F(MergeTest, MergesFinishedShardsIntoOneRun) {
  AllShards();
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_FALSE(merged->has_shard());
  EXPECT_EQ(merged->tasks_total(), 5);
  EXPECT_EQ(merged->execution_ok(), 4);
  EXPECT_EQ(merged->suite_content_hash(), Sha256Hex("whole"));
  EXPECT_EQ(merged->release(), "1.0");
  EXPECT_EQ(merged->release_manifest_hash(), Sha256Hex("manifest"));
  EXPECT_EQ(merged->started_at(), "2026-12-07T10:00:00Z");
  EXPECT_FALSE(merged->finished_at().empty());
  ASSERT_EQ(merged->merged_shards_size(), 3);
  EXPECT_EQ(merged->merged_shards(2).environment().hostname(), "node2");
  EXPECT_EQ(merged->merged_shards(2).shard().index(), 2);
  EXPECT_EQ(merged->merged_shards(2).shard().tasks_size(), 0) << "the split is not repeated per shard";
  EXPECT_EQ(merged->merged_shards(0).results_size(), 0);
  EXPECT_THAT(merged->run_id(), HasSubstr("-ground_truth-3shards-"));
  std::vector<std::string> order;
  for (const auto& r : merged->results()) order.push_back(r.task_id());
  EXPECT_THAT(order, ElementsAre("t0", "t1", "t2", "t3", "t4"));
  // results.jsonl: each shard's lines byte for byte, in the run's order.
  std::map<std::string, std::string> shard_lines;
  for (int i = 0; i < 3; ++i) {
    auto text = ReadFile(absl::StrCat(root_, "/shards/", ShardFolderName(i, 3), "/results.jsonl"));
    for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
      EvaluationResult r;
      ASSERT_TRUE(FromJson(std::string(line), &r).ok());
      shard_lines[r.task_id()] = std::string(line);
    }
  }
  auto merged_text = ReadFile(root_ + "/merged/results.jsonl");
  std::string expected;
  for (const auto& id : order) absl::StrAppend(&expected, shard_lines[id], "\n");
  EXPECT_EQ(*merged_text, expected);
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(*ReadFile(root_ + "/merged/run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.results_size(), 5);
  EXPECT_FALSE(fs::exists(root_ + "/merged/.merge_in_progress"));
  // Merged once: a second merge into the same folder is refused.
  EXPECT_THAT(Message(MergeShards({root_ + "/shards"}, root_ + "/merged").status()), HasSubstr("already holds a run"));
}

TEST_F(MergeTest, AMissingShardIsNamedWithItsTasks) {
  Shard(0, Header(0));
  Shard(2, Header(2));
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr("shard 1/3 is missing: no run folder (2 task(s): t1, t4)"));
  EXPECT_FALSE(fs::exists(root_ + "/merged/run_record.json"));
}

TEST_F(MergeTest, AnUnfinishedShardIsNamedWithItsMissingTasks) {
  Shard(0, Header(0));
  Shard(1, Header(1), {"t1"}, /*finish=*/false);
  Shard(2, Header(2));
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()),
              HasSubstr("shard 1/3 (" + root_ + "/shards/shard-1-of-3) is unfinished (never finished): 1 of 2 task(s); "
                        "missing: t4; run it again with the same command to finish it"));
  auto status = ReadShards({root_ + "/shards"});
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(status->Unfinished(), ElementsAre(1));
  EXPECT_THAT(status->Describe(), HasSubstr("shard 1/3: unfinished, 1 of 2 task(s) (never finished; missing: t4)"));
  EXPECT_THAT(status->Describe(), HasSubstr("shard 0/3: finished, 2 of 2 task(s)"));
}

TEST_F(MergeTest, ShardsOfAnotherRunAreRefused) {
  Shard(0, Header(0));
  RunRecord other = Header(1);
  other.set_harness_content_hash(Sha256Hex("edited harness"));
  Shard(1, other);
  RunRecord device = Header(2);
  device.mutable_environment()->set_device_name("AMD Instinct MI300X");
  Shard(2, device);
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr("shard 1/3 (" + root_ +
                                                  "/shards/shard-1-of-3) is not of the same run as shard 0/3"));
  EXPECT_THAT(Message(merged.status()), HasSubstr("harness content hash was '"));
  EXPECT_THAT(Message(merged.status()), HasSubstr("device was 'NVIDIA H100 80GB HBM3', now 'AMD Instinct MI300X'"));
}

TEST_F(MergeTest, AnotherReleaseOrConfigurationIsRefused) {
  Shard(0, Header(0));
  RunRecord release = Header(1);
  release.mutable_shard()->set_run_release("1.1");
  Shard(1, release);
  RunRecord config = Header(2);
  config.set_configuration("candidate_file");
  Shard(2, config);
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr("release was '1.0', now '1.1'"));
  EXPECT_THAT(Message(merged.status()), HasSubstr("configuration was 'ground_truth', now 'candidate_file'"));
}

TEST_F(MergeTest, AnotherSplitIsRefused) {
  Shard(0, Header(0));
  Shard(1, Header(1));
  RunRecord other = Header(2);
  ShardInfo by_cost = SplitTasks(Tasks({"t0", "t1", "t2", "t3", "t4"}), 3, {{"t0", 5}});
  by_cost.set_index(2);
  *other.mutable_shard() = by_cost;
  Shard(2, other, ShardTasks(by_cost, 2));
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr("shard 2/3 (" + root_ +
                                                  "/shards/shard-2-of-3) was split differently from shard 0/3"));
  EXPECT_THAT(Message(merged.status()), HasSubstr("balanced by name vs by cost"));
}

TEST_F(MergeTest, NotAShardOrTwiceTheSameShardIsRefused) {
  AllShards();
  RunRecord plain = Header(0);
  plain.clear_shard();
  ASSERT_TRUE(RunFolder::Create(root_ + "/shards/plain", plain).ok());
  fs::copy(root_ + "/shards/shard-1-of-3", root_ + "/shards/shard-1-copy", fs::copy_options::recursive);
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr(root_ + "/shards/plain holds a run that is not a shard"));
  EXPECT_THAT(Message(merged.status()), HasSubstr("two folders hold shard 1/3: " + root_ +
                                                  "/shards/shard-1-copy and " + root_ + "/shards/shard-1-of-3"));
}

TEST_F(MergeTest, AResultOfAnotherShardIsRefused) {
  Shard(0, Header(0), {"t0", "t3", "t1"});
  Shard(1, Header(1));
  Shard(2, Header(2));
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged.status()), HasSubstr("has a result for t1, a task of another shard or none"));
}

TEST_F(MergeTest, ATaskEditedMidRunMakesTheRunUnreleased) {
  Shard(0, Header(0));
  Shard(1, Header(1));
  const std::string dir = absl::StrCat(root_, "/shards/", ShardFolderName(2, 3));
  auto w = RunFolder::Create(dir, Header(2));
  ASSERT_TRUE(w.ok());
  EvaluationResult edited = Result("t2");
  edited.set_task_content_hash(Sha256Hex("t2 edited"));
  ASSERT_TRUE((*w)->Append(edited).ok());
  ASSERT_TRUE((*w)->Finish(false).ok());
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->release(), "unreleased");
  EXPECT_EQ(merged->release_manifest_hash(), "");
}

// An agent's shards: generations, candidates and transcript sessions come along.
TEST_F(MergeTest, AgentShardsBringTheirGenerationsCandidatesAndTranscripts) {
  for (int i = 0; i < 3; ++i) {
    RunRecord h = Header(i);
    h.set_configuration("zero_shot");
    h.mutable_model()->set_name("test-model");
    const std::string dir = Shard(i, h);
    std::string gens;
    for (const auto& id : ShardTasks(split_, i)) {
      absl::StrAppend(&gens, "{\"task_id\":\"", id, "\",\"iterations\":1,\"llm_calls\":", i + 1, "}\n");
      fs::create_directories(absl::StrCat(dir, "/candidates/", id));
      ASSERT_TRUE(WriteFile(absl::StrCat(dir, "/candidates/", id, "/iter1_c0.py"), absl::StrCat("# ", id, "\n")).ok());
    }
    ASSERT_TRUE(WriteFile(dir + "/generations.jsonl", gens).ok());
    for (int k = 0; k < (i == 1 ? 2 : 1); ++k) {
      fs::create_directories(absl::StrCat(dir, "/transcripts/session-", k));
      ASSERT_TRUE(WriteFile(absl::StrCat(dir, "/transcripts/session-", k, "/call.json"), absl::StrCat(i, ".", k)).ok());
    }
  }
  auto merged = MergeShards({root_ + "/shards"}, root_);
  ASSERT_TRUE(merged.ok()) << merged.status();
  ASSERT_EQ(merged->generations_size(), 5);
  EXPECT_EQ(merged->generations(4).task_id(), "t4");
  EXPECT_EQ(merged->generations(4).llm_calls(), 2);
  EXPECT_EQ(*ReadFile(root_ + "/candidates/t3/iter1_c0.py"), "# t3\n");
  EXPECT_EQ(*ReadFile(root_ + "/transcripts/session-0/call.json"), "0.0");
  EXPECT_EQ(*ReadFile(root_ + "/transcripts/session-2/call.json"), "1.1");
  EXPECT_EQ(*ReadFile(root_ + "/transcripts/session-3/call.json"), "2.0");
  auto gens = ReadFile(root_ + "/generations.jsonl");
  EXPECT_THAT(*gens, HasSubstr("{\"task_id\":\"t0\",\"iterations\":1,\"llm_calls\":1}\n"
                               "{\"task_id\":\"t1\",\"iterations\":1,\"llm_calls\":2}\n"));
}

TEST_F(MergeTest, AMergeCutShortIsRedone) {
  AllShards();
  fs::create_directories(root_ + "/merged/candidates/t0");
  ASSERT_TRUE(WriteFile(root_ + "/merged/results.jsonl", "{\"task_id\":\"t0\"}\n").ok());
  EXPECT_THAT(Message(MergeShards({root_ + "/shards"}, root_ + "/merged").status()),
              HasSubstr("holds results.jsonl but no run: choose a new --out"));
  ASSERT_TRUE(WriteFile(root_ + "/merged/.merge_in_progress", "").ok());
  auto merged = MergeShards({root_ + "/shards"}, root_ + "/merged");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_FALSE(fs::exists(root_ + "/merged/candidates/t0"));
}

TEST_F(MergeTest, ResumingChecksTheShardAndSplit) {
  const std::string dir = Shard(1, Header(1), {"t1"}, /*finish=*/false);
  ShardInfo same = split_;
  same.set_index(1);
  EXPECT_TRUE(CheckShardResumable(dir, &same).ok());
  ShardInfo other_index = split_;
  other_index.set_index(2);
  EXPECT_THAT(Message(CheckShardResumable(dir, &other_index)), HasSubstr("holds shard 1/3, not shard 2/3"));
  ShardInfo other_split = SplitTasks(Tasks({"t0", "t1", "t2", "t3", "t4"}), 3, {{"t1", 2}});
  other_split.set_index(1);
  EXPECT_THAT(Message(CheckShardResumable(dir, &other_split)), HasSubstr("of another split of the run"));
  EXPECT_THAT(Message(CheckShardResumable(dir, nullptr)), HasSubstr("this command runs the whole run"));
  EXPECT_TRUE(CheckShardResumable(root_ + "/nothing-here", &same).ok());
}

TEST_F(MergeTest, StatusWithACountBeforeAnyShardStarted) {
  auto none = ReadShards({root_ + "/shards"}, 4);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(none->Unfinished(), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Message(ReadShards({root_ + "/shards"}).status()), HasSubstr("no shard run folder"));
  AllShards();
  EXPECT_THAT(Message(ReadShards({root_ + "/shards"}, 4).status()), HasSubstr("is shard 0 of 3, not of 4"));
  auto all = ReadShards({root_ + "/shards"}, 3);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->Unfinished().empty());
}

}  // namespace
}  // namespace tritonbench
