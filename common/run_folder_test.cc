// The run folder on its own: the files written as a run goes, never overwriting a run,
// resuming a measurement (evaluate --resume) and a configuration run (generations).
#include "common/run_folder.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/json.h"
#include "common/run_folder_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

// Resume as evaluate --resume does it.
absl::StatusOr<std::unique_ptr<RunFolder>> Resume(const fs::path& dir, RunRecord header) {
  RunFolderOptions options;
  options.stamp_resumed_at = true;
  return RunFolder::Resume(dir.string(), std::move(header), options,
                           [&](const RunRecord& earlier, const RunRecord& now) {
                             return SameMeasurement(dir.string(), earlier, now);
                           });
}

TEST(RunFolderTest, WritesHeaderThenResultsThenCounts) {
  fs::path dir = FreshDir("run1");
  RunRecord header;
  header.set_run_id("r1");
  header.mutable_environment()->set_device_name("NVIDIA H100 80GB HBM3");
  auto writer = RunFolder::Create(dir.string(), header);
  ASSERT_TRUE(writer.ok()) << writer.status();

  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.environment().device_name(), "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(on_disk.results_size(), 0);

  ASSERT_TRUE((*writer)->Append(Result("a", true, true, NONE)).ok());
  ASSERT_TRUE((*writer)->Append(Result("b", true, false, WRONG_VALUES)).ok());
  ASSERT_TRUE((*writer)->Append(Result("c", false, false, UNSUPPORTED)).ok());
  // Before Finish, finished results are already on disk, one per line.
  std::istringstream lines(Read(dir / "results.jsonl"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    EvaluationResult r;
    ASSERT_TRUE(FromJson(line, &r).ok()) << line;
    ++count;
  }
  EXPECT_EQ(count, 3);

  ASSERT_TRUE((*writer)->Finish(/*interrupted=*/false).ok());
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.tasks_total(), 3);
  EXPECT_EQ(on_disk.call_ok(), 2);
  EXPECT_EQ(on_disk.execution_ok(), 1);
  EXPECT_EQ(on_disk.skipped(), 1);
  EXPECT_FALSE(on_disk.finished_at().empty());
  EXPECT_EQ(on_disk.results_size(), 3);
}

TEST(RunFolderTest, NeverOverwritesARun) {
  fs::path dir = FreshDir("run2");
  ASSERT_TRUE(RunFolder::Create(dir.string(), RunRecord()).ok());
  auto again = RunFolder::Create(dir.string(), RunRecord());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), ::testing::HasSubstr("never overwritten"));
}

TEST(RunFolderTest, InterruptedRunSaysSo) {
  fs::path dir = FreshDir("run3");
  auto writer = RunFolder::Create(dir.string(), RunRecord());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Finish(/*interrupted=*/true).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_TRUE(on_disk.interrupted());
}

// The header of a ground-truth measurement: what Resume compares.
RunRecord MeasurementHeader() {
  RunRecord h;
  h.set_run_id("measurement-1");
  h.set_started_at("2026-12-03T08:00:14Z");
  h.set_configuration("ground_truth");
  h.set_harness_version("0.7.0");
  h.set_harness_content_hash("h1");
  h.set_suite_content_hash("s1");
  h.mutable_settings()->set_timing_repetitions(100);
  h.mutable_environment()->set_device_name("NVIDIA H200");
  h.mutable_environment()->set_torch_version("2.11.0");
  h.mutable_environment()->set_hostname("vm-a");
  return h;
}

// A run cut short by a lost machine: two results, the second torn mid-write. The first
// is spelled as another writer might (spaces, its own key order).
fs::path CutRun(const std::string& name) {
  fs::path dir = FreshDir(name);
  auto writer = RunFolder::Create(dir.string(), MeasurementHeader());
  EXPECT_TRUE(writer.ok());
  std::ofstream(dir / "results.jsonl", std::ios::app)
      << "{\"execution_ok\": true, \"task_id\": \"a\", \"call_ok\": true}\n{\"task_id\":\"b\",\"call_";
  return dir;
}

TEST(RunFolderTest, ResumeKeepsFinishedTasksAndDropsATornLine) {
  fs::path dir = CutRun("resume1");
  const std::string first_line = Read(dir / "results.jsonl").substr(0, Read(dir / "results.jsonl").find('\n') + 1);
  RunRecord now = MeasurementHeader();
  now.set_run_id("measurement-2");
  now.set_started_at("2026-12-04T09:00:00Z");
  now.mutable_environment()->set_hostname("vm-b");  // another machine of the same kind
  auto writer = Resume(dir, now);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ((*writer)->resumed(), 1);
  EXPECT_TRUE((*writer)->Finished("a"));
  EXPECT_FALSE((*writer)->Finished("b"));
  EXPECT_EQ(Read(dir / "results.jsonl"), first_line) << "the kept line byte for byte, the torn line gone";

  ASSERT_TRUE((*writer)->Append(Result("b", true, false, WRONG_VALUES)).ok());
  EXPECT_TRUE((*writer)->Finished("b"));
  ASSERT_TRUE((*writer)->Finish(/*interrupted=*/false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  // The record is the run that began first, finished, and says it was taken up again.
  EXPECT_EQ(on_disk.run_id(), "measurement-1");
  EXPECT_EQ(on_disk.started_at(), "2026-12-03T08:00:14Z");
  EXPECT_EQ(on_disk.environment().hostname(), "vm-a");
  ASSERT_EQ(on_disk.resumed_at_size(), 1);
  EXPECT_FALSE(on_disk.finished_at().empty());
  EXPECT_EQ(on_disk.tasks_total(), 2);
  EXPECT_EQ(on_disk.execution_ok(), 1);
  auto lines = ReadJsonLines<EvaluationResult>((dir / "results.jsonl").string());
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[1].task_id(), "b");
}

TEST(RunFolderTest, ResumeRefusesADifferentMeasurement) {
  struct Change {
    std::string what;
    void (*apply)(RunRecord*);
  };
  const std::vector<Change> changes = {
      {"suite content hash", [](RunRecord* h) { h->set_suite_content_hash("s2"); }},
      {"harness content hash", [](RunRecord* h) { h->set_harness_content_hash("h2"); }},
      {"settings", [](RunRecord* h) { h->mutable_settings()->set_timing_repetitions(10); }},
      {"device", [](RunRecord* h) { h->mutable_environment()->set_device_name("NVIDIA H100"); }},
      {"torch", [](RunRecord* h) { h->mutable_environment()->set_torch_version("2.12.0"); }},
      {"configuration", [](RunRecord* h) { h->set_configuration("candidate_file"); }},
  };
  for (const auto& change : changes) {
    fs::path dir = CutRun("resume2");
    RunRecord now = MeasurementHeader();
    change.apply(&now);
    auto writer = Resume(dir, now);
    ASSERT_FALSE(writer.ok()) << change.what;
    EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(writer.status().message()), ::testing::HasSubstr(change.what));
  }
}

TEST(RunFolderTest, ResumeRefusesAFinishedRunButTakesUpAnInterruptedOne) {
  fs::path dir = FreshDir("resume3");
  auto writer = RunFolder::Create(dir.string(), MeasurementHeader());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(Result("a", true, true, NONE)).ok());
  ASSERT_TRUE((*writer)->Finish(/*interrupted=*/true).ok());
  auto resumed = Resume(dir, MeasurementHeader());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  ASSERT_TRUE((*resumed)->Finish(/*interrupted=*/false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_FALSE(on_disk.interrupted());
  EXPECT_EQ(on_disk.tasks_total(), 1);

  auto again = Resume(dir, MeasurementHeader());
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(std::string(again.status().message()), ::testing::HasSubstr("never overwritten"));
}

TEST(RunFolderTest, ResumeOfAnEmptyFolderStartsANewRun) {
  fs::path dir = FreshDir("resume4");
  auto writer = Resume(dir, MeasurementHeader());
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ((*writer)->resumed(), 0);
  EXPECT_TRUE(fs::exists(dir / "run_record.json"));
}

TEST(RunFolderTest, ResumeStampsOnlyWhenAsked) {
  fs::path dir = CutRun("resume5");
  auto writer = RunFolder::Resume(dir.string(), MeasurementHeader(), RunFolderOptions(), nullptr);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ((*writer)->record().resumed_at_size(), 0);
}

TEST(RunFolderTest, ARefusedResumptionLeavesTheFolderAlone) {
  fs::path dir = CutRun("resume6");
  const std::string record = Read(dir / "run_record.json"), results = Read(dir / "results.jsonl");
  auto refused = RunFolder::Resume(dir.string(), MeasurementHeader(), RunFolderOptions(),
                                   [](const RunRecord&, const RunRecord&) {
                                     return absl::FailedPreconditionError("not this one");
                                   });
  EXPECT_EQ(refused.status().message(), "not this one");
  EXPECT_EQ(Read(dir / "run_record.json"), record);
  EXPECT_EQ(Read(dir / "results.jsonl"), results) << "not even the torn line is dropped";
}

TEST(RunFolderTest, ResultsWithoutARecordAreRefused) {
  fs::path dir = FreshDir("resume7");
  fs::create_directories(dir);
  std::ofstream(dir / "results.jsonl") << "{\"task_id\": \"a\"}\n";
  auto refused = RunFolder::Resume(dir.string(), MeasurementHeader(), RunFolderOptions(), nullptr);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("results.jsonl but no run_record.json"));
}

TaskGeneration Generation(const std::string& id, int iterations) {
  TaskGeneration g;
  g.set_task_id(id);
  g.set_iterations(iterations);
  return g;
}

RunFolderOptions WithGenerations() {
  RunFolderOptions options;
  options.generations = true;
  return options;
}

// A configuration run: a task is finished once its generation is written, and the
// record is rewritten after every task.
TEST(RunFolderTest, GenerationsFinishATaskAndRewriteTheRecord) {
  fs::path dir = FreshDir("gen1");
  auto folder = RunFolder::Create(dir.string(), RunRecord(), WithGenerations());
  ASSERT_TRUE(folder.ok()) << folder.status();
  ASSERT_TRUE((*folder)->Append(Result("a", true, true, NONE), Generation("a", 3)).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.results_size(), 1) << "rewritten after the task, before Finish";
  EXPECT_EQ(on_disk.generations_size(), 1);
  EXPECT_EQ(on_disk.execution_ok(), 1);
  EXPECT_TRUE(on_disk.finished_at().empty());
  auto generations = ReadJsonLines<TaskGeneration>((dir / "generations.jsonl").string());
  ASSERT_TRUE(generations.ok());
  ASSERT_EQ(generations->size(), 1u);
  EXPECT_EQ((*generations)[0].iterations(), 3);
}

TEST(RunFolderTest, ResumeOfGenerationsKeepsTasksWithBothLinesByteForByte) {
  fs::path dir = FreshDir("gen2");
  {
    RunRecord header;
    header.set_run_id("agent-1");
    auto folder = RunFolder::Create(dir.string(), header, WithGenerations());
    ASSERT_TRUE(folder.ok());
  }
  // Task a finished (its lines spelled as another writer might), b's result was written
  // but not its generation (cut between the two appends), c's generation is torn.
  const std::string a_result = "{\"task_id\": \"a\", \"execution_ok\": true, \"call_ok\": true}\n";
  const std::string a_generation = "{\"iterations\": 2, \"task_id\": \"a\"}\n";
  std::ofstream(dir / "results.jsonl", std::ios::app)
      << a_result << "{\"task_id\":\"b\"}\n{\"task_id\":\"c\"}\n";
  std::ofstream(dir / "generations.jsonl", std::ios::app) << a_generation << "{\"task_id\":\"c\",\"iter";
  RunRecord now;
  now.set_run_id("agent-2");
  auto folder = RunFolder::Resume(dir.string(), now, WithGenerations(), nullptr);
  ASSERT_TRUE(folder.ok()) << folder.status();
  EXPECT_EQ((*folder)->resumed(), 1);
  EXPECT_TRUE((*folder)->Finished("a"));
  EXPECT_FALSE((*folder)->Finished("b"));
  EXPECT_FALSE((*folder)->Finished("c"));
  EXPECT_EQ((*folder)->record().run_id(), "agent-1");
  EXPECT_EQ((*folder)->record().resumed_at_size(), 0);
  EXPECT_EQ(Read(dir / "results.jsonl"), a_result);
  EXPECT_EQ(Read(dir / "generations.jsonl"), a_generation);
  ASSERT_TRUE((*folder)->Append(Result("b", true, false, WRONG_VALUES), Generation("b", 5)).ok());
  ASSERT_TRUE((*folder)->Finish(false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.tasks_total(), 2);
  ASSERT_EQ(on_disk.generations_size(), 2);
  EXPECT_EQ(on_disk.generations(0).iterations(), 2);
  EXPECT_EQ(on_disk.generations(1).task_id(), "b");
}

// Marks a result "r" and the run "run": what a ReleaseMarker is asked, and when.
class FakeMarker : public ReleaseMarker {
 public:
  void MarkRun(RunRecord* record) const override { record->set_release("run"); }
  void MarkResult(EvaluationResult* result) const override { result->set_release("r"); }
  void ConfirmRun(RunRecord* record) const override { record->set_release(record->release() + "+confirmed"); }
};

TEST(RunFolderTest, TheReleaseMarkerMarksTheRunAndEachResult) {
  fs::path dir = FreshDir("marker");
  FakeMarker marker;
  RunFolderOptions options;
  options.releases = &marker;
  auto folder = RunFolder::Create(dir.string(), RunRecord(), options);
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ((*folder)->record().release(), "run");
  ASSERT_TRUE((*folder)->Append(Result("a", true, true, NONE)).ok());
  ASSERT_TRUE((*folder)->Finish(false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.release(), "run+confirmed");
  EXPECT_EQ(on_disk.results(0).release(), "r");
  EXPECT_THAT(Read(dir / "results.jsonl"), ::testing::HasSubstr("\"release\":\"r\""));
}

}  // namespace
}  // namespace tritonbench
