#include "harness/task_loader.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

constexpr char kValid[] = R"pb(id: "toy"
suite: "tritonbench_revised"
category: "elementwise / activation"
instruction: "Add two vectors."
entry_point: "toy"
signature: "def toy(x, y)"
correctness_cases { name: "a" dims { key: "N" value: 10 } dtype: "float16" seeds: [1] }
correctness_cases { name: "b" dims { key: "N" value: 7 } dtype: "int32" seeds: [2] }
tolerances { dtype: "float16" atol: 1e-3 rtol: 1e-3 }
)pb";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(ParseTaskSpecTest, AcceptsAValidSpec) {
  auto spec = ParseTaskSpec(kValid, "toy/task.textproto");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->correctness_cases(0).dims().at("N"), 10);
  EXPECT_EQ(spec->tolerances(0).rtol(), 1e-3);
}

TEST(ParseTaskSpecTest, SyntaxErrorNamesFileLineAndColumn) {
  auto spec = ParseTaskSpec(Replace(kValid, "category: \"", "category \"\""), "toy/task.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("toy/task.textproto:3:"));
}

TEST(ParseTaskSpecTest, UnknownFieldIsNamedWithItsLine) {
  auto spec = ParseTaskSpec(Replace(kValid, "entry_point:", "entry_pont:"), "t.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("t.textproto:5:"));
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("entry_pont"));
}

TEST(ParseTaskSpecTest, CaseWithoutSeedsPointsAtTheCase) {
  auto spec = ParseTaskSpec(Replace(kValid, "seeds: [2] ", ""), "t.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()),
              HasSubstr("t.textproto:8:1: correctness_cases[1].seeds: at least one seed is required"));
}

TEST(ParseTaskSpecTest, UnknownDtypeIsRejectedAtItsLine) {
  auto spec = ParseTaskSpec(Replace(kValid, "\"int32\"", "\"int33\""), "t.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("t.textproto:8:"));
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("correctness_cases[1].dtype: unknown dtype 'int33'"));
}

TEST(ParseTaskSpecTest, FloatingCaseNeedsATolerance) {
  auto spec = ParseTaskSpec(Replace(kValid, "tolerances { dtype: \"float16\" atol: 1e-3 rtol: 1e-3 }", ""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("no tolerances entry for dtype float16"));
}

TEST(ParseTaskSpecTest, ToleranceForIntegerDtypeIsRejected) {
  auto spec = ParseTaskSpec(absl::StrCat(kValid, "tolerances { dtype: \"int32\" atol: 1 }\n"), "t.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("t.textproto:10:"));
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("compare exactly"));
}

TEST(ParseTaskSpecTest, NegativeToleranceIsRejected) {
  auto spec = ParseTaskSpec(Replace(kValid, "rtol: 1e-3", "rtol: -1"), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("must not be negative"));
}

TEST(ParseTaskSpecTest, EntryPointMustBeAnIdentifier) {
  auto spec = ParseTaskSpec(Replace(kValid, "entry_point: \"toy\"", "entry_point: \"to y\""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("t:5:1: entry_point: must be a Python identifier"));
}

TEST(ParseTaskSpecTest, SignatureMustDefineTheEntryPoint) {
  auto spec = ParseTaskSpec(Replace(kValid, "def toy(", "def other("), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("signature: must start with 'def toy('"));
}

TEST(ParseTaskSpecTest, DuplicateCaseNamesAreRejected) {
  auto spec = ParseTaskSpec(Replace(kValid, "name: \"b\"", "name: \"a\""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("duplicate case name 'a'"));
}

TEST(ParseTaskSpecTest, NonPositiveDimensionIsRejected) {
  auto spec = ParseTaskSpec(Replace(kValid, "value: 7", "value: 0"), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("dimension 'N' must be positive"));
}

TEST(ParseTaskSpecTest, MissingInstructionIsRejected) {
  auto spec = ParseTaskSpec(Replace(kValid, "instruction: \"Add two vectors.\"", ""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("instruction: is required"));
}

constexpr char kUpstream[] = R"pb(id: "add_example"
suite: "geak_tbg"
category: "elementwise / activation"
instruction: "Write a kernel and wrapper that add two vectors."
upstream { kind: TRITONBENCH_G file: "add_example.py" atol: 0.01 rtol: 0.1 }
tolerances { dtype: "float32" atol: 1e-2 rtol: 1e-1 }
)pb";

TEST(ParseTaskSpecTest, UpstreamTaskNeedsNoEntryPointOrCases) {
  auto spec = ParseTaskSpec(kUpstream, "add_example/task.textproto");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->upstream().kind(), UpstreamTask::TRITONBENCH_G);
  EXPECT_EQ(spec->upstream().file(), "add_example.py");
}

TEST(ParseTaskSpecTest, UpstreamTaskNeedsKindAndFile) {
  auto spec = ParseTaskSpec(Replace(kUpstream, "kind: TRITONBENCH_G ", ""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("upstream.kind is required"));
  spec = ParseTaskSpec(Replace(kUpstream, "file: \"add_example.py\" ", ""), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("upstream.file is required"));
}

TEST(ParseTaskSpecTest, UpstreamTaskRefusesCases) {
  auto spec = ParseTaskSpec(
      absl::StrCat(kUpstream, "correctness_cases { name: \"a\" dims { key: \"N\" value: 1 } seeds: [1] }\n"), "t");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(std::string(spec.status().message()), HasSubstr("judged by its upstream tests"));
}

class LoadTaskTest : public ::testing::Test {
 protected:
  // A copy of a real task under a temporary folder named `name`.
  std::string CopyTask(const std::string& name) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "tasks" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    for (const char* f : {"task.textproto", "kernel.py", "reference.py"}) {
      std::filesystem::copy_file(std::string("suites/tritonbench_revised/vector_addition/") + f, dir / f);
    }
    return dir.string();
  }
};

TEST_F(LoadTaskTest, LoadsARealTask) {
  auto task = LoadTask("suites/tritonbench_revised/vector_addition/");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->spec.id(), "vector_addition");
  EXPECT_EQ(task->KernelPath(), "suites/tritonbench_revised/vector_addition/kernel.py");
}

TEST_F(LoadTaskTest, IdMustMatchTheFolder) {
  auto task = LoadTask(CopyTask("renamed"));
  ASSERT_FALSE(task.ok());
  EXPECT_THAT(std::string(task.status().message()), HasSubstr("must equal the folder name 'renamed'"));
}

TEST_F(LoadTaskTest, MissingKernelIsNotFound) {
  std::string dir = CopyTask("vector_addition");
  std::filesystem::remove(dir + "/kernel.py");
  auto task = LoadTask(dir);
  ASSERT_FALSE(task.ok());
  EXPECT_EQ(task.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(task.status().message()), HasSubstr("kernel.py: missing"));
}

TEST_F(LoadTaskTest, UpstreamTaskNeedsItsTestCodeNotAReference) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "upstream" / "add_example";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "task.textproto") << kUpstream;
  std::ofstream(dir / "kernel.py") << "import triton\n";
  auto task = LoadTask(dir.string());
  ASSERT_FALSE(task.ok());
  EXPECT_EQ(task.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(task.status().message()), HasSubstr("upstream_test.py: missing"));
  std::ofstream(dir / "upstream_test.py") << "result_gold = {}\n";
  task = LoadTask(dir.string());
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->UpstreamTestPath(), (dir / "upstream_test.py").string());
}

TEST_F(LoadTaskTest, MissingFolderIsNotFound) {
  auto task = LoadTask("suites/no_such_suite/no_such_task");
  ASSERT_FALSE(task.ok());
  EXPECT_EQ(task.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tritonbench
