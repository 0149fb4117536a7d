// Run folders marked with the suite release they measured (RunReleases as the folder's
// ReleaseMarker): the run and each result, a task edited meanwhile, resumption.
#include "harness/run_release.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/json.h"
#include "common/run_folder.h"
#include "common/run_folder_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/release.h"
#include "harness/release_cut.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

RunFolderOptions Marked(const RunReleases* releases) {
  RunFolderOptions options;
  options.releases = releases;
  options.stamp_resumed_at = true;
  return options;
}

absl::StatusOr<std::unique_ptr<RunFolder>> Resume(const fs::path& dir, RunRecord header,
                                                  const RunReleases* releases) {
  return RunFolder::Resume(dir.string(), std::move(header), Marked(releases),
                           [&](const RunRecord& earlier, const RunRecord& now) {
                             return SameMeasurement(dir.string(), earlier, now);
                           });
}

// The header of a ground-truth measurement.
RunRecord MeasurementHeader() {
  RunRecord h;
  h.set_run_id("measurement-1");
  h.set_configuration("ground_truth");
  h.set_harness_version("0.7.0");
  h.set_suite_content_hash("s1");
  return h;
}

// A run cut short: one result, then a torn line.
fs::path CutRun(const std::string& name) {
  fs::path dir = FreshDir(name);
  auto writer = RunFolder::Create(dir.string(), MeasurementHeader());
  EXPECT_TRUE(writer.ok());
  std::ofstream(dir / "results.jsonl", std::ios::app)
      << "{\"execution_ok\": true, \"task_id\": \"a\", \"call_ok\": true}\n{\"task_id\":\"b\",\"call_";
  return dir;
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

TEST(RunReleaseTest, RecordsTheReleaseOfTheRunAndEachResult) {
  fs::path suite = ReleasedSuite("release1");
  auto releases = RunReleases::Load({(suite / "a").string(), (suite / "b").string()});
  ASSERT_TRUE(releases.ok()) << releases.status();
  fs::path dir = FreshDir("release1-run");
  auto writer = RunFolder::Create(dir.string(), MeasurementHeader(), Marked(&*releases));
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

TEST(RunReleaseTest, ATaskEditedDuringTheRunMakesItUnreleased) {
  fs::path suite = ReleasedSuite("release2");
  auto releases = RunReleases::Load({(suite / "a").string(), (suite / "b").string()});
  ASSERT_TRUE(releases.ok());
  fs::path dir = FreshDir("release2-run");
  auto writer = RunFolder::Create(dir.string(), MeasurementHeader(), Marked(&*releases));
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

TEST(RunReleaseTest, ResumeComparesTheReleaseWhenBothRecordsNameOne) {
  fs::path suite = ReleasedSuite("release3");
  const std::vector<std::string> dirs = {(suite / "a").string(), (suite / "b").string()};
  auto releases = RunReleases::Load(dirs);
  ASSERT_TRUE(releases.ok());

  // A record from before releases (no release field) is taken up, and gets one.
  fs::path old_dir = CutRun("release3-old");
  auto resumed = Resume(old_dir, MeasurementHeader(), &*releases);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->record().release(), "1.0");

  // A record of release 1.0 after the suite's manifest moved on to 1.1 (task b edited,
  // then released): refused, naming the field.
  fs::path dir = FreshDir("release3-run");
  {
    auto writer = RunFolder::Create(dir.string(), MeasurementHeader(), Marked(&*releases));
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Measured(suite, "a")).ok());
  }
  std::ofstream(suite / "b" / "kernel.py") << "# new\n";
  ASSERT_TRUE(CutRelease({suite.string(), "1.1", "b changed.", "2026-12-08"}).ok());
  auto now = RunReleases::Load(dirs);
  ASSERT_TRUE(now.ok());
  auto refused = Resume(dir, MeasurementHeader(), &*now);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("release was '1.0', now '1.1'"));
}

}  // namespace
}  // namespace tritonbench
