#include "harness/upstream_import.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/release.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kFixtures[] = "harness/testdata/upstream";

std::string Tmp(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp ? tmp : "/tmp") / name;
  fs::remove_all(dir);
  return dir.string();
}

UpstreamImportOptions Options(const std::string& out) {
  UpstreamImportOptions o;
  o.checkout = absl::StrCat(kFixtures, "/a85e657");
  o.out_dir = out;
  o.commit = "a85e657aaaaabbbbbccccc";
  o.our_suites = absl::StrCat(kFixtures, "/our_suites");
  o.date = "2026-01-02";
  return o;
}

// The skip reasons of a suite, keyed by the file or entry they name (its last path part).
std::map<std::string, std::string> Skips(const SuiteImport& s) {
  std::map<std::string, std::string> out;
  for (const auto& [what, why] : s.skipped) out[BaseName(what)] = why;
  return out;
}

TEST(UpstreamImportTest, ImportsTheSoundTasksAndSaysWhyTheOthersAreLeftOut) {
  const std::string out = Tmp("import");
  auto result = ImportUpstream(Options(out));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->layout, "tb_eval");
  ASSERT_EQ(result->suites.size(), 2u);

  const SuiteImport& tbg = result->suites[0];
  EXPECT_EQ(tbg.suite, "geak_tbg");
  EXPECT_THAT(tbg.error, IsEmpty());
  EXPECT_THAT(tbg.imported, UnorderedElementsAre("scale_shift", "row_max", "inplace_relu"));
  EXPECT_THAT(tbg.without_performance, ElementsAre("row_max"));
  auto skips = Skips(tbg);
  ASSERT_EQ(skips.size(), 4u) << ImportReport(*result);
  EXPECT_THAT(skips["no_separator.py"], HasSubstr("no separator line (exactly 146 '#')"));
  EXPECT_THAT(skips["no_result_gold.py"], HasSubstr("sets no result_gold"));
  EXPECT_THAT(skips["orphan.py"], HasSubstr("no entry in"));
  EXPECT_THAT(skips["missing_file.py"], HasSubstr("does not exist"));

  const SuiteImport& rocm = result->suites[1];
  EXPECT_THAT(rocm.imported, UnorderedElementsAre("test_axpy", "test_row_sum"));
  EXPECT_THAT(Skips(rocm)["test_broken.py"], HasSubstr("sets no result_gold"));

  // Every imported folder loads as a task, with the instruction verbatim and the split files.
  auto task = LoadTask(absl::StrCat(out, "/geak_tbg/scale_shift"));
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->spec.suite(), "geak_tbg");
  EXPECT_EQ(task->spec.category(), "elementwise / activation");  // from our_suites
  EXPECT_THAT(task->spec.instruction(), HasSubstr("Write `scale_shift(x, scale, shift)`"));
  EXPECT_EQ(task->spec.upstream().kind(), UpstreamTask::TRITONBENCH_G);
  EXPECT_EQ(task->spec.upstream().file(), "scale_shift.py");
  EXPECT_EQ(task->spec.upstream().commit(), "a85e657aaaaabbbbbccccc");
  EXPECT_EQ(task->spec.upstream().difficulty(), 1);
  EXPECT_DOUBLE_EQ(task->spec.upstream().rtol(), 0.1);
  auto source = FileSha256(absl::StrCat(kFixtures, "/a85e657/tb_eval/data/TritonBench/data/TritonBench_G_v1/scale_shift.py"));
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(task->spec.upstream().source_sha256(), *source);
  auto kernel = ReadFile(task->KernelPath());
  auto tests = ReadFile(task->UpstreamTestPath());
  ASSERT_TRUE(kernel.ok() && tests.ok());
  EXPECT_THAT(*kernel, HasSubstr("def scale_shift(x, scale, shift):"));
  EXPECT_THAT(*kernel, ::testing::Not(HasSubstr("######")));
  EXPECT_THAT(*tests, HasSubstr("result_gold = test_scale_shift()"));
  EXPECT_TRUE(IsRegularFile(absl::StrCat(out, "/geak_tbg/scale_shift/upstream_perf.py")));
  EXPECT_FALSE(IsRegularFile(absl::StrCat(out, "/geak_tbg/row_max/upstream_perf.py")));
  auto row_max = LoadTask(absl::StrCat(out, "/geak_tbg/row_max"));
  ASSERT_TRUE(row_max.ok());
  EXPECT_EQ(row_max->spec.category(), "upstream");  // no task of that name in our_suites

  auto axpy = LoadTask(absl::StrCat(out, "/geak_rocm/test_axpy"));
  ASSERT_TRUE(axpy.ok()) << axpy.status();
  EXPECT_EQ(axpy->spec.upstream().kind(), UpstreamTask::ROCM);
  EXPECT_EQ(axpy->spec.upstream().target_kernel_name(), "axpy_kernel");
  EXPECT_THAT(axpy->spec.instruction(), HasSubstr("# Your code here"));
  EXPECT_DOUBLE_EQ(axpy->spec.upstream().rtol(), 0.01);

  // The import is its own release, named after the commit; nothing upstream is tracked.
  auto releases = LoadReleases(absl::StrCat(out, "/geak_tbg"));
  ASSERT_TRUE(releases.ok()) << releases.status();
  ASSERT_EQ(releases->releases_size(), 1);
  EXPECT_EQ(releases->releases(0).name(), "upstream-a85e657aaaaa");
  EXPECT_EQ(releases->releases(0).tasks_size(), 3);
  auto ignore = ReadFile(absl::StrCat(out, "/.gitignore"));
  ASSERT_TRUE(ignore.ok());
  EXPECT_THAT(*ignore, HasSubstr("\n*\n"));
  auto report = ReadFile(absl::StrCat(out, "/import_report.txt"));
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(*report, HasSubstr("geak_tbg: 3 imported, 4 skipped"));
  EXPECT_THAT(*report, HasSubstr("geak_rocm: 2 imported, 1 skipped"));
}

TEST(UpstreamImportTest, ImportingAgainIsUnchangedAndNewContentIsANewRelease) {
  const std::string out = Tmp("again");
  ASSERT_TRUE(ImportUpstream(Options(out)).ok());
  auto again = ImportUpstream(Options(out));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->suites[0].new_release);
  EXPECT_EQ(again->suites[0].release, "upstream-a85e657aaaaa");

  // Other content under the same commit name: a second release, the name made unique.
  UpstreamImportOptions only_tbg = Options(out);
  only_tbg.suites = {"tbg"};
  only_tbg.our_suites = "";
  auto changed = ImportUpstream(only_tbg);
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed->suites[0].new_release);
  EXPECT_EQ(changed->suites[0].release, "upstream-a85e657aaaaa-2");
  auto releases = LoadReleases(absl::StrCat(out, "/geak_tbg"));
  ASSERT_TRUE(releases.ok());
  EXPECT_EQ(releases->releases_size(), 2);
}

TEST(UpstreamImportTest, StaleTasksOfAnEarlierImportAreRemoved) {
  const std::string out = Tmp("stale");
  ASSERT_TRUE(ImportUpstream(Options(out)).ok());
  // A task folder an earlier import wrote, which this checkout no longer has.
  fs::copy(absl::StrCat(out, "/geak_tbg/row_max"), absl::StrCat(out, "/geak_tbg/gone"));
  std::string spec = *ReadFile(absl::StrCat(out, "/geak_tbg/gone/task.textproto"));
  spec.replace(spec.find("id: \"row_max\""), 13, "id: \"gone\"");
  ASSERT_TRUE(WriteFile(absl::StrCat(out, "/geak_tbg/gone/task.textproto"), spec).ok());
  ASSERT_TRUE(ImportUpstream(Options(out)).ok());
  EXPECT_FALSE(IsDirectory(absl::StrCat(out, "/geak_tbg/gone")));
}

TEST(UpstreamImportTest, RefusesAFolderHoldingOtherThings) {
  const std::string out = Tmp("busy");
  fs::create_directories(absl::StrCat(out, "/tritonbench_revised"));
  auto result = ImportUpstream(Options(out));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("holds tritonbench_revised"));
}

TEST(UpstreamImportTest, UnknownLayoutNamesWhatWasExpected) {
  UpstreamImportOptions o = Options(Tmp("unknown"));
  o.checkout = absl::StrCat(kFixtures, "/our_suites");
  auto result = ImportUpstream(o);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("not a GEAK-eval checkout at a known layout: expected tb_eval/data"));
}

TEST(UpstreamImportTest, LaterLayoutNeedsTheInstructionFilesFromElsewhere) {
  const std::string out = Tmp("later");
  UpstreamImportOptions o = Options(out);
  o.checkout = absl::StrCat(kFixtures, "/later");
  auto result = ImportUpstream(o);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->layout, "geak_eval");
  for (const auto& s : result->suites) {
    EXPECT_THAT(s.error, HasSubstr("missing: expected the instruction file")) << s.suite;
    EXPECT_THAT(s.error, HasSubstr("_instructions")) << s.suite;
    EXPECT_THAT(s.imported, IsEmpty());
  }
  o.tbg_instructions = absl::StrCat(
      kFixtures, "/a85e657/tb_eval/data/TritonBench/data/TritonBench_G_comp_alpac_v1_fixed_with_difficulty.json");
  o.rocm_instructions = absl::StrCat(kFixtures, "/a85e657/tb_eval/data/ROCm/data/ROCm_eval_complex_instruct_v1.json");
  result = ImportUpstream(o);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->suites[0].imported, ElementsAre("scale_shift"));
  EXPECT_THAT(result->suites[1].imported, ElementsAre("test_axpy"));
  auto task = LoadTask(absl::StrCat(out, "/geak_tbg/scale_shift"));
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->spec.upstream().layout(), "geak_eval");
  // Instructions whose files this checkout lacks are skipped, naming them.
  EXPECT_THAT(Skips(result->suites[0])["row_max.py"], HasSubstr("does not exist"));
}

TEST(UpstreamImportTest, ReadsTheCommitOfAGitCheckout) {
  const std::string checkout = Tmp("git_checkout");
  fs::copy(absl::StrCat(kFixtures, "/a85e657"), checkout, fs::copy_options::recursive);
  fs::create_directories(checkout + "/.git/refs/heads");
  ASSERT_TRUE(WriteFile(checkout + "/.git/HEAD", "ref: refs/heads/main\n").ok());
  const std::string hash = "a85e6570123456789abcdef0123456789abcdef0";
  ASSERT_TRUE(WriteFile(checkout + "/.git/packed-refs", absl::StrCat("# pack-refs\n", hash, " refs/heads/main\n")).ok());
  UpstreamImportOptions o = Options(Tmp("git_out"));
  o.checkout = checkout;
  o.commit = "";
  auto result = ImportUpstream(o);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->commit, hash);
  EXPECT_EQ(result->suites[0].release, "upstream-a85e65701234");
}

}  // namespace
}  // namespace tritonbench
