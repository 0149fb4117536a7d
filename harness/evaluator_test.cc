// Each candidate in testdata/candidates must get exactly one verdict from the harness.
// Runs real worker processes with the interpreter in $TB_PYTHON (tools/setup.sh).
#include "harness/evaluator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/suite.h"
#include "harness/task_loader.h"

namespace tritonbench {
namespace {

struct Expectation {
  const char* candidate;
  FailureKind kind;
  bool call_ok;
  bool execution_ok;
  const char* message_part;  // a phrase the message must contain; "" = any
  const char* check = "";    // for REJECTED_BY_CHECK: the check's name
  double timeout_s = 90;     // generous: CI machines may be loaded; only hangs reach it
};

std::ostream& operator<<(std::ostream& os, const Expectation& e) { return os << e.candidate; }

// CPU interpreter, 2 GiB: small enough that the hogs hit the limit fast.
EvaluatorOptions TestOptions() {
  EvaluatorOptions options;
  const char* python = std::getenv("TB_PYTHON");
  options.python = python ? python : "python3";
  options.worker_path = "harness/python/worker.py";
  const char* tmp = std::getenv("TEST_TMPDIR");
  options.scratch_dir = tmp ? tmp : "/tmp";
  options.settings = DefaultSettings();
  options.settings.set_device("cpu");
  options.settings.set_timeout_seconds(90);
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
  EvaluatorOptions options = TestOptions();
  options.settings.set_timeout_seconds(e.timeout_s);
  auto result = Evaluator(options).Evaluate(*task, std::string("harness/testdata/candidates/") + e.candidate);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(FailureKind_Name(result->failure_kind()), FailureKind_Name(e.kind))
      << result->message() << "\nstderr:\n" << result->stderr_tail();
  EXPECT_EQ(result->check(), e.check) << result->message();
  EXPECT_TRUE(result->result_token().empty()) << "the runner must not pass the token on";
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
        Expectation{"infinite_loop.py", TIMEOUT, false, false, "correctness case", "", 30},
        Expectation{"memory_hog.py", OUT_OF_MEMORY, false, false, "memory limit"},
        Expectation{"mutates_input.py", INPUT_MUTATED, true, false, "input(s) [0]"},
        Expectation{"returns_input.py", OUTPUT_ALIASES_INPUT, true, false, "input 0"},
        Expectation{"returns_tuple.py", WRONG_OUTPUT_STRUCTURE, true, false, "2 output(s)"},
        Expectation{"chatty.py", NONE, true, true, ""}),
    [](const ::testing::TestParamInfo<Expectation>& info) {
      std::string name = info.param.candidate;
      return name.substr(0, name.find('.'));
    });

// The adversarial corpus (testdata/candidates/adversarial/), one trick per file. The
// GPU-only tricks (side_stream, caches_by_pointer, memoises_by_content,
// wrong_when_timed, copies_torch_output, illegal_memory_access) are checked on a GPU
// host by tools/gpu_host/adversarial_gpu_check.sh; writes_outside, memoises_by_content and
// wrong_when_timed also by //harness/python:yardstick_test.
INSTANTIATE_TEST_SUITE_P(
    Adversarial, EvaluatorTest,
    ::testing::Values(
        Expectation{"adversarial/torch_reference.py", REJECTED_BY_CHECK, true, false, "no Triton kernel",
                    "no_triton_kernel"},
        Expectation{"adversarial/decoy_kernel.py", REJECTED_BY_CHECK, true, false, "computed by torch",
                    "output_not_from_triton"},
        Expectation{"adversarial/imports_reference.py", REJECTED_BY_CHECK, true, false, "computed by torch",
                    "output_not_from_triton"},
        Expectation{"adversarial/caches_by_shape.py", WRONG_VALUES, true, false, "seed 2"},
        Expectation{"adversarial/special_cases_shapes.py", WRONG_VALUES, true, false, "hidden:n1_fp32_x2"},
        Expectation{"adversarial/uninitialised.py", WRONG_VALUES, true, false, "n1_fp32"},
        Expectation{"adversarial/all_nan.py", WRONG_VALUES, true, false, "got nan"},
        Expectation{"adversarial/returns_float64.py", WRONG_DTYPE, true, false, "torch.float64"},
        Expectation{"adversarial/patches_torch.py", REJECTED_BY_CHECK, false, false, "synchronize",
                    "harness_tampering"},
        Expectation{"adversarial/patches_compare.py", WRONG_VALUES, true, false, "outside atol"},
        Expectation{"adversarial/reads_expected.py", RUNTIME_ERROR, false, false, "nothing leaked"},
        Expectation{"adversarial/forges_result.py", REJECTED_BY_CHECK, false, false, "still running",
                    "leftover_process"},
        Expectation{"adversarial/sleeps.py", TIMEOUT, false, false, "correctness case", "", 30},
        Expectation{"adversarial/exhausts_memory.py", OUT_OF_MEMORY, false, false, "allocate"},
        Expectation{"adversarial/spawns_process.py", REJECTED_BY_CHECK, false, false, "sleep",
                    "leftover_process"},
        Expectation{"adversarial/escapes_session.py", REJECTED_BY_CHECK, false, false, "sleep",
                    "leftover_process"},
        Expectation{"adversarial/fork_bomb.py", REJECTED_BY_CHECK, false, false, "more than",
                    "process_limit"},
        Expectation{"adversarial/launders_torch_output.py", REJECTED_BY_CHECK, true, false,
                    "held a result torch computed", "output_not_from_triton"},
        Expectation{"adversarial/flips_tf32.py", REJECTED_BY_CHECK, false, false, "allow_tf32: False -> True",
                    "global_state"},
        Expectation{"adversarial/lazy_output.py", WRONG_OUTPUT_STRUCTURE, false, false, "subclass"},
        Expectation{"adversarial/slows_the_yardstick.py", NONE, true, true, ""},
        Expectation{"adversarial/finishes_on_a_thread.py", WRONG_VALUES, true, false, "nan"},
        Expectation{"adversarial/downgrades_precision.py", WRONG_VALUES, true, false, "outside atol"}),
    [](const ::testing::TestParamInfo<Expectation>& info) {
      std::string name = info.param.candidate;
      name = name.substr(name.find('/') + 1);
      return name.substr(0, name.find('.'));
    });

// Reads every /proc/<pid>/cmdline and says whether one contains `needle`.
bool SomeProcessRuns(const std::string& needle) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream f(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (absl::StrContains(cmdline, needle)) return true;
  }
  return false;
}

absl::StatusOr<EvaluationResult> EvaluateCandidate(const std::string& candidate,
                                                   EvaluatorOptions options = TestOptions()) {
  auto task = LoadTask("suites/tritonbench_revised/vector_addition");
  if (!task.ok()) return task.status();
  return Evaluator(options).Evaluate(*task, "harness/testdata/candidates/" + candidate);
}

// Each candidate compiles into a private cache (so one cannot plant compiled code for
// the next), unless the run says its kernels are trusted (ground-truth measurement).
TEST(EvaluatorSandboxTest, TritonCacheIsPrivateUnlessTrusted) {
  auto own = EvaluateCandidate("names_its_cache.py");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(FailureKind_Name(own->failure_kind()), "IMPORT_ERROR") << own->message();
  EXPECT_TRUE(absl::StrContains(own->message(), "/candidate-")) << own->message();
  EvaluatorOptions options = TestOptions();
  const std::string shared = options.scratch_dir + "/shared-triton-cache";
  options.settings.set_trusted_triton_cache_dir(shared);
  auto trusted = EvaluateCandidate("names_its_cache.py", options);
  ASSERT_TRUE(trusted.ok()) << trusted.status();
  EXPECT_TRUE(absl::StrContains(trusted->message(), "TRITON_CACHE_DIR=" + shared)) << trusted->message();
}

TEST(EvaluatorSandboxTest, NoProcessOutlivesTheEvaluation) {
  for (const auto& [candidate, marker] : {std::pair{"adversarial/spawns_process.py", "sleep 43.25"},
                                          std::pair{"adversarial/escapes_session.py", "sleep 44.75"},
                                          std::pair{"adversarial/fork_bomb.py", "sleep 45.5"}}) {
    auto result = EvaluateCandidate(candidate);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(SomeProcessRuns(marker)) << candidate << " left '" << marker << "' running";
  }
}

TEST(EvaluatorSandboxTest, CandidateCannotReachTheNetwork) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(47613);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool listening = bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                         listen(listener, 4) == 0;
  auto result = EvaluateCandidate("adversarial/opens_socket.py");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(FailureKind_Name(result->failure_kind()), "REJECTED_BY_CHECK") << result->message();
  EXPECT_EQ(result->check(), "network") << result->message();
  if (listening) {
    EXPECT_LT(accept(listener, nullptr, nullptr), 0) << "the candidate reached 127.0.0.1:47613";
    EXPECT_EQ(errno, EAGAIN);
  }
  close(listener);
}

// A result file without the request's token is not the judge's, whatever it says.
TEST(EvaluatorSandboxTest, ResultWithoutTheTokenIsRefused) {
  EvaluatorOptions options = TestOptions();
  options.worker_path = "harness/testdata/fake_worker.py";
  auto forged = EvaluateCandidate("correct_blocked.py", options);
  ASSERT_TRUE(forged.ok()) << forged.status();
  EXPECT_EQ(FailureKind_Name(forged->failure_kind()), "REJECTED_BY_CHECK") << forged->message();
  EXPECT_EQ(forged->check(), "result_forged");
  EXPECT_FALSE(forged->execution_ok());
}

TEST(EvaluatorSandboxTest, ResultWithTheTokenIsAccepted) {
  EvaluatorOptions options = TestOptions();
  options.worker_path = "harness/testdata/fake_worker.py";
  // The fake worker echoes the token when its candidate path says so.
  auto echoed = EvaluateCandidate("adversarial/../correct_blocked.py", options);
  ASSERT_TRUE(echoed.ok()) << echoed.status();
  EXPECT_EQ(FailureKind_Name(echoed->failure_kind()), "NONE") << echoed->message();
  EXPECT_TRUE(echoed->execution_ok());
}

// Each result names the task folder's content it was judged against, so results of
// one task from runs over different task sets can be told comparable or not.
TEST(EvaluatorResultTest, CarriesTheTaskContentHash) {
  auto result = EvaluateCandidate("correct_blocked.py");
  ASSERT_TRUE(result.ok()) << result.status();
  auto expected = ContentHash({"suites/tritonbench_revised/vector_addition"});
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(result->task_content_hash(), *expected);
}

// The same candidate, task and seeds give the same correctness verdict, case by case.
TEST(EvaluatorDeterminismTest, SameCandidateSameVerdict) {
  auto first = EvaluateCandidate("adversarial/caches_by_shape.py");
  auto second = EvaluateCandidate("adversarial/caches_by_shape.py");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->failure_kind(), second->failure_kind());
  EXPECT_EQ(first->message(), second->message());
  ASSERT_EQ(first->cases_size(), second->cases_size());
  for (int i = 0; i < first->cases_size(); ++i) {
    EXPECT_EQ(first->cases(i).passed(), second->cases(i).passed()) << first->cases(i).case_name();
    EXPECT_EQ(first->cases(i).failure_kind(), second->cases(i).failure_kind());
    EXPECT_EQ(first->cases(i).max_abs_error(), second->cases(i).max_abs_error());
  }
}

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
