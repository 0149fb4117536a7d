#include "harness/limited_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tritonbench {
namespace {

using ::testing::HasSubstr;

ProcessSpec Shell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin", "VISIBLE=yes"};
  const char* tmp = std::getenv("TEST_TMPDIR");
  spec.scratch_dir = tmp ? tmp : "/tmp";
  spec.limits.timeout_seconds = 30;
  return spec;
}

TEST(RunLimitedTest, ReportsExitCodeAndOutput) {
  auto out = RunLimited(Shell("echo hello; echo oops >&2; exit 3"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit_code, 3);
  EXPECT_EQ(out->term_signal, 0);
  EXPECT_EQ(out->stdout_text, "hello\n");
  EXPECT_EQ(out->stderr_text, "oops\n");
  EXPECT_FALSE(out->Succeeded());
}

TEST(RunLimitedTest, SeesOnlyTheGivenEnvironment) {
  setenv("SECRET_API_KEY", "do-not-leak", 1);
  auto out = RunLimited(Shell("env"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->stdout_text, HasSubstr("VISIBLE=yes"));
  EXPECT_THAT(out->stdout_text, ::testing::Not(HasSubstr("do-not-leak")));
}

TEST(RunLimitedTest, ReportsTheSignalThatKilledIt) {
  auto out = RunLimited(Shell("kill -SEGV $$"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->term_signal, SIGSEGV);
  EXPECT_THAT(out->Describe(), HasSubstr("signal 11"));
}

TEST(RunLimitedTest, TimeoutKillsTheWholeGroup) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string marker = absl::StrCat(tmp ? tmp : "/tmp", "/grandchild_survived");
  std::filesystem::remove(marker);
  ProcessSpec spec = Shell(absl::StrCat("(sleep 2; touch ", marker, ") & sleep 100"));
  spec.limits.timeout_seconds = 0.5;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->timed_out);
  EXPECT_LT(out->wall_seconds, 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_FALSE(std::filesystem::exists(marker)) << "a grandchild outlived the timeout";
}

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

TEST(RunLimitedTest, KillsProcessesThatEscapedTheGroupWithSetsid) {
  // setsid puts the sleeper in a new session and group; the shell exits at once.
  auto out = RunLimited(Shell("setsid sleep 41.75 </dev/null >/dev/null 2>&1 & sleep 0.2; exit 0"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_FALSE(SomeProcessRuns("sleep 41.75")) << "a setsid() escapee outlived its command";
}

TEST(RunLimitedTest, MemoryLimitCountsEscapedProcesses) {
  ProcessSpec spec = Shell(
      "setsid sh -c 'head -c 1073741824 /dev/zero | tail -c 1073741824 > /dev/null' & sleep 100");
  spec.limits.memory_limit_bytes = 200LL << 20;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->memory_exceeded) << out->Describe();
  EXPECT_FALSE(SomeProcessRuns("tail -c 1073741824"));
}

TEST(RunLimitedTest, MemoryLimitCountsTheGroup) {
  // `tail` keeps a line without newline in memory: 1 GiB of zeros from a pipe.
  ProcessSpec spec = Shell("head -c 1073741824 /dev/zero | tail -c 1073741824 > /dev/null");
  spec.limits.memory_limit_bytes = 200LL << 20;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->memory_exceeded);
  EXPECT_GT(out->peak_rss_bytes, 200LL << 20);
  EXPECT_THAT(out->Describe(), HasSubstr("memory limit"));
}

TEST(RunLimitedTest, OutputIsTruncatedInTheMiddle) {
  ProcessSpec spec = Shell("head -c 100000 /dev/zero | tr '\\0' a; echo END");
  spec.limits.output_limit_bytes = 1000;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_LT(out->stdout_text.size(), 1100u);
  EXPECT_THAT(out->stdout_text, HasSubstr("bytes omitted"));
  EXPECT_THAT(out->stdout_text, HasSubstr("END"));
}

TEST(RunLimitedTest, FileSizeLimitStopsRunawayOutput) {
  ProcessSpec spec = Shell("exec head -c 10000000 /dev/zero");
  spec.limits.file_size_limit_bytes = 1 << 20;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->term_signal, SIGXFSZ);
}

TEST(RunLimitedTest, CancelStopsIt) {
  std::atomic<bool> cancel{false};
  ProcessSpec spec = Shell("sleep 100");
  spec.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.store(true);
  });
  auto out = RunLimited(spec);
  canceller.join();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->cancelled);
  EXPECT_LT(out->wall_seconds, 5);
}

// A scheduler's SIGTERM reaches the command a moment before the caller's handler sets
// `cancel`: the outcome is a cancellation, not a crash to record.
TEST(RunLimitedTest, TerminatedJustBeforeCancelIsCancelled) {
  std::atomic<bool> cancel{false};
  ProcessSpec spec = Shell("kill -TERM $$");
  spec.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel.store(true);
  });
  auto out = RunLimited(spec);
  canceller.join();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->cancelled);
}

// Without the caller being cancelled, a SIGTERM is what ended the command.
TEST(RunLimitedTest, TerminatedWithoutCancelIsReported) {
  std::atomic<bool> cancel{false};
  ProcessSpec spec = Shell("kill -TERM $$");
  spec.cancel = &cancel;
  auto out = RunLimited(spec);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->cancelled);
  EXPECT_EQ(out->term_signal, SIGTERM);
}

// The command's zombie (a child its parent never reaps) comes back to the runner, a
// subreaper, when the command ends: it is reaped, not left behind or counted as alive.
TEST(RunLimitedTest, ReapsTheZombiesOfTheCommand) {
  auto out = RunLimited(Shell("sleep 0 & exec sleep 0.3"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit_code, 0);
  const std::string self = absl::StrCat(getpid());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::vector<std::string> fields = absl::StrSplit(stat.substr(close + 2), ' ');
    if (fields.size() > 1 && fields[1] == self) {
      EXPECT_NE(fields[0], "Z") << "a zombie child is left: " << stat;
    }
  }
}

TEST(RunLimitedTest, MissingProgramIsAnError) {
  ProcessSpec spec = Shell("");
  spec.argv = {"/no/such/program"};
  auto out = RunLimited(spec);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("/no/such/program"));
}

TEST(TruncateMiddleTest, KeepsHeadAndTail) {
  std::string text = std::string(100, 'h') + std::string(1000, 'm') + std::string(300, 't');
  std::string cut = TruncateMiddle(text, 400);
  EXPECT_EQ(cut.substr(0, 100), std::string(100, 'h'));
  EXPECT_EQ(cut.substr(cut.size() - 300), std::string(300, 't'));
  EXPECT_THAT(cut, HasSubstr("1000 bytes omitted"));
  EXPECT_EQ(TruncateMiddle("short", 400), "short");
}

}  // namespace
}  // namespace tritonbench
