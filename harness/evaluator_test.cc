// Each candidate in testdata/candidates must get exactly one verdict from the harness.
// Runs real worker processes with the interpreter in $TB_PYTHON (tools/setup.sh).
#include "harness/evaluator.h"

#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

struct Expectation {
  const char* candidate;
  FailureKind kind;
  bool call_ok;
  bool execution_ok;
  const char* message_part;  // a phrase the message must contain; "" = any
};

std::ostream& operator<<(std::ostream& os, const Expectation& e) { return os << e.candidate; }

// CPU interpreter, short timeout, 2 GiB: small enough that the hogs hit the limits fast.
EvaluatorOptions TestOptions() {
  EvaluatorOptions options;
  const char* python = std::getenv("TB_PYTHON");
  options.python = python ? python : "python3";
  options.worker_path = "harness/python/worker.py";
  const char* tmp = std::getenv("TEST_TMPDIR");
  options.scratch_dir = tmp ? tmp : "/tmp";
  options.settings = DefaultSettings();
  options.settings.set_device("cpu");
  options.settings.set_timeout_seconds(25);
  options.settings.set_memory_limit_mb(2048);
  options.settings.set_output_limit_bytes(16 * 1024);
  return options;
}

class EvaluatorTest : public ::testing::TestWithParam<Expectation> {};

TEST_P(EvaluatorTest, GivesTheExpectedVerdict) {
  ASSERT_NE(std::getenv("TB_PYTHON"), nullptr) << "run tools/setup.sh: TB_PYTHON must name the venv's python";
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  ASSERT_TRUE(task.ok()) << task.status();
  const Expectation& e = GetParam();
  auto result = Evaluator(TestOptions()).Evaluate(*task, std::string("harness/testdata/candidates/") + e.candidate);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(FailureKind_Name(result->failure_kind()), FailureKind_Name(e.kind))
      << result->message() << "\nstderr:\n" << result->stderr_tail();
  EXPECT_EQ(result->call_ok(), e.call_ok) << result->message();
  EXPECT_EQ(result->execution_ok(), e.execution_ok) << result->message();
  EXPECT_TRUE(absl::StrContains(result->message(), e.message_part))
      << "message was: " << result->message();
  EXPECT_FALSE(result->timing_available()) << "the CPU interpreter must never report timings";
}

INSTANTIATE_TEST_SUITE_P(
    Candidates, EvaluatorTest,
    ::testing::Values(
        Expectation{"correct_blocked.py", NONE, true, true, ""},
        Expectation{"runtime_loop.py", NONE, true, true, ""},
        Expectation{"syntax_error.py", SYNTAX_ERROR, false, false, "syntax_error.py:4"},
        Expectation{"import_error.py", IMPORT_ERROR, false, false, "triton_kernels_that_do_not_exist"},
        Expectation{"missing_entry.py", MISSING_ENTRY_POINT, false, false, "vector_addition"},
        Expectation{"compile_error.py", COMPILE_ERROR, false, false, "power of 2"},
        Expectation{"wrong_values.py", WRONG_VALUES, true, false, "outside atol"},
        Expectation{"tail_unwritten.py", WRONG_VALUES, true, false, "n1_fp32"},
        Expectation{"wrong_shape.py", WRONG_SHAPE, true, false, "shape (1, 1)"},
        Expectation{"wrong_dtype.py", WRONG_DTYPE, true, false, "n4097_fp16"},
        Expectation{"raises.py", RUNTIME_ERROR, false, false, "this kernel is not finished"},
        Expectation{"exits_quietly.py", CRASH, false, false, "exited with code 0"},
        Expectation{"segfault.py", CRASH, false, false, "signal 11"},
        Expectation{"infinite_loop.py", TIMEOUT, false, false, "correctness case"},
        Expectation{"memory_hog.py", OUT_OF_MEMORY, false, false, "memory limit"},
        Expectation{"mutates_input.py", INPUT_MUTATED, true, false, "input(s) [0]"},
        Expectation{"returns_input.py", OUTPUT_ALIASES_INPUT, true, false, "input 0"},
        Expectation{"returns_tuple.py", WRONG_OUTPUT_STRUCTURE, true, false, "2 output(s)"},
        Expectation{"chatty.py", NONE, true, true, ""}),
    [](const ::testing::TestParamInfo<Expectation>& info) {
      std::string name = info.param.candidate;
      return name.substr(0, name.find('.'));
    });

TEST(EvaluatorOutputTest, CapturedOutputIsTruncated) {
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  ASSERT_TRUE(task.ok()) << task.status();
  EvaluatorOptions options = TestOptions();
  options.settings.set_output_limit_bytes(8 * 1024);
  auto result = Evaluator(options).Evaluate(*task, "harness/testdata/candidates/chatty.py");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_LT(result->stdout_tail().size(), 9 * 1024u);
  EXPECT_TRUE(absl::StrContains(result->stdout_tail(), "bytes omitted"));
}

TEST(EvaluatorEnvironmentTest, ProbeDescribesTheCpuInterpreter) {
  auto env = Evaluator(TestOptions()).ProbeEnvironment();
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ(env->backend(), "cpu-interpreter");
  EXPECT_FALSE(env->torch_version().empty());
  EXPECT_TRUE(absl::StartsWith(env->triton_version(), "3."));
}

TEST(EvaluatorStartTest, MissingInterpreterIsAnError) {
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  ASSERT_TRUE(task.ok()) << task.status();
  EvaluatorOptions options = TestOptions();
  options.python = "/nonexistent/python3";
  auto result = Evaluator(options).Evaluate(*task, "harness/testdata/candidates/correct_blocked.py");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(absl::StrContains(result.status().message(), "/nonexistent/python3"));
}

}  // namespace
}  // namespace tritonbench
