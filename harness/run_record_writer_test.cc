#include "harness/run_record_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/evaluator.h"
#include "harness/release.h"
#include "harness/release_cut.h"
#include "harness/run_release.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp ? tmp : "/tmp") / name;
  fs::remove_all(dir);
  return dir;
}

EvaluationResult Result(const std::string& id, bool call_ok, bool exec_ok, FailureKind kind) {
  EvaluationResult r;
  r.set_task_id(id);
  r.set_call_ok(call_ok);
  r.set_execution_ok(exec_ok);
  r.set_failure_kind(kind);
  return r;
}

TEST(RunRecordWriterTest, WritesHeaderThenResultsThenCounts) {
  fs::path dir = FreshDir("run1");
  RunRecord header;
  header.set_run_id("r1");
  header.mutable_environment()->set_device_name("NVIDIA H100 80GB HBM3");
  auto writer = RunRecordWriter::Open(dir.string(), header);
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

TEST(RunRecordWriterTest, NeverOverwritesARun) {
  fs::path dir = FreshDir("run2");
  ASSERT_TRUE(RunRecordWriter::Open(dir.string(), RunRecord()).ok());
  auto again = RunRecordWriter::Open(dir.string(), RunRecord());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), ::testing::HasSubstr("never overwritten"));
}

TEST(RunRecordWriterTest, InterruptedRunSaysSo) {
  fs::path dir = FreshDir("run3");
  auto writer = RunRecordWriter::Open(dir.string(), RunRecord());
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
  auto writer = RunRecordWriter::Open(dir.string(), MeasurementHeader());
  EXPECT_TRUE(writer.ok());
  std::ofstream(dir / "results.jsonl", std::ios::app)
      << "{\"execution_ok\": true, \"task_id\": \"a\", \"call_ok\": true}\n{\"task_id\":\"b\",\"call_";
  return dir;
}

TEST(RunRecordWriterTest, ResumeKeepsFinishedTasksAndDropsATornLine) {
  fs::path dir = CutRun("resume1");
  const std::string first_line = Read(dir / "results.jsonl").substr(0, Read(dir / "results.jsonl").find('\n') + 1);
  RunRecord now = MeasurementHeader();
  now.set_run_id("measurement-2");
  now.set_started_at("2026-12-04T09:00:00Z");
  now.mutable_environment()->set_hostname("vm-b");  // another machine of the same kind
  auto writer = RunRecordWriter::Resume(dir.string(), now);
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

TEST(RunRecordWriterTest, ResumeRefusesADifferentMeasurement) {
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
    auto writer = RunRecordWriter::Resume(dir.string(), now);
    ASSERT_FALSE(writer.ok()) << change.what;
    EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(writer.status().message()), ::testing::HasSubstr(change.what));
  }
}

TEST(RunRecordWriterTest, ResumeRefusesAFinishedRunButTakesUpAnInterruptedOne) {
  fs::path dir = FreshDir("resume3");
  auto writer = RunRecordWriter::Open(dir.string(), MeasurementHeader());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(Result("a", true, true, NONE)).ok());
  ASSERT_TRUE((*writer)->Finish(/*interrupted=*/true).ok());
  auto resumed = RunRecordWriter::Resume(dir.string(), MeasurementHeader());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  ASSERT_TRUE((*resumed)->Finish(/*interrupted=*/false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_FALSE(on_disk.interrupted());
  EXPECT_EQ(on_disk.tasks_total(), 1);

  auto again = RunRecordWriter::Resume(dir.string(), MeasurementHeader());
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(std::string(again.status().message()), ::testing::HasSubstr("never overwritten"));
}

TEST(RunRecordWriterTest, ResumeOfAnEmptyFolderStartsANewRun) {
  fs::path dir = FreshDir("resume4");
  auto writer = RunRecordWriter::Resume(dir.string(), MeasurementHeader());
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ((*writer)->resumed(), 0);
  EXPECT_TRUE(fs::exists(dir / "run_record.json"));
}

// A suite folder "demo" with tasks a and b, released as 1.0.
fs::path ReleasedSuite(const std::string& name) {
  fs::path suite = FreshDir(name) / "demo";
  for (const char* id : {"a", "b"}) {
    fs::create_directories(suite / id);
    std::ofstream(suite / id / "task.textproto") << "id: '" << id << "'\n";
  }
  EXPECT_TRUE(CutRelease({suite.string(), "1.0", "The first.", "2026-12-07"}).ok());
  return suite;
}

EvaluationResult Measured(const fs::path& suite, const std::string& id) {
  EvaluationResult r = Result(id, true, true, NONE);
  auto hash = ContentHash({(suite / id).string()});
  EXPECT_TRUE(hash.ok());
  r.set_task_content_hash(*hash);
  return r;
}

TEST(RunRecordWriterTest, RecordsTheReleaseOfTheRunAndEachResult) {
  fs::path suite = ReleasedSuite("release1");
  auto releases = RunReleases::Load({(suite / "a").string(), (suite / "b").string()});
  ASSERT_TRUE(releases.ok()) << releases.status();
  fs::path dir = FreshDir("release1-run");
  auto writer = RunRecordWriter::Open(dir.string(), MeasurementHeader(), &*releases);
  ASSERT_TRUE(writer.ok()) << writer.status();
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.release(), "1.0") << "known from the start";
  ASSERT_TRUE((*writer)->Append(Measured(suite, "a")).ok());
  ASSERT_TRUE((*writer)->Append(Measured(suite, "b")).ok());
  ASSERT_TRUE((*writer)->Finish(false).ok());
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.release(), "1.0");
  auto manifest = LoadReleases(suite.string());
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(on_disk.release_manifest_hash(), manifest->releases(0).manifest_hash());
  auto lines = ReadJsonLines<EvaluationResult>((dir / "results.jsonl").string());
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].release(), "1.0");
  EXPECT_EQ((*lines)[1].release(), "1.0");
}

TEST(RunRecordWriterTest, ATaskEditedDuringTheRunMakesItUnreleased) {
  fs::path suite = ReleasedSuite("release2");
  auto releases = RunReleases::Load({(suite / "a").string(), (suite / "b").string()});
  ASSERT_TRUE(releases.ok());
  fs::path dir = FreshDir("release2-run");
  auto writer = RunRecordWriter::Open(dir.string(), MeasurementHeader(), &*releases);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(Measured(suite, "a")).ok());
  std::ofstream(suite / "b" / "kernel.py") << "# new\n";
  ASSERT_TRUE((*writer)->Append(Measured(suite, "b")).ok());
  ASSERT_TRUE((*writer)->Finish(false).ok());
  RunRecord on_disk;
  ASSERT_TRUE(FromJson(Read(dir / "run_record.json"), &on_disk).ok());
  EXPECT_EQ(on_disk.release(), kUnreleased);
  EXPECT_EQ(on_disk.release_manifest_hash(), "");
  EXPECT_EQ(on_disk.results(0).release(), "1.0");
  EXPECT_EQ(on_disk.results(1).release(), kUnreleased);
}

TEST(RunRecordWriterTest, ResumeComparesTheReleaseWhenBothRecordsNameOne) {
  fs::path suite = ReleasedSuite("release3");
  const std::vector<std::string> dirs = {(suite / "a").string(), (suite / "b").string()};
  auto releases = RunReleases::Load(dirs);
  ASSERT_TRUE(releases.ok());

  // A record from before releases (no release field) is taken up, and gets one.
  fs::path old_dir = CutRun("release3-old");
  auto resumed = RunRecordWriter::Resume(old_dir.string(), MeasurementHeader(), &*releases);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->record().release(), "1.0");

  // A record of release 1.0 after the suite's manifest moved on to 1.1 (task b edited,
  // then released): refused, naming the field.
  fs::path dir = FreshDir("release3-run");
  {
    auto writer = RunRecordWriter::Open(dir.string(), MeasurementHeader(), &*releases);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Measured(suite, "a")).ok());
  }
  std::ofstream(suite / "b" / "kernel.py") << "# new\n";
  ASSERT_TRUE(CutRelease({suite.string(), "1.1", "b changed.", "2026-12-08"}).ok());
  auto now = RunReleases::Load(dirs);
  ASSERT_TRUE(now.ok());
  auto refused = RunRecordWriter::Resume(dir.string(), MeasurementHeader(), &*now);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("release was '1.0', now '1.1'"));
}

}  // namespace
}  // namespace tritonbench
