#include "harness/run_record_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/evaluator.h"

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

}  // namespace
}  // namespace tritonbench
