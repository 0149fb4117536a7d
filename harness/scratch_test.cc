#include "harness/scratch.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gtest/gtest.h"
#include "harness/limited_process.h"

namespace tritonbench {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the test's temporary folder.
std::string FreshDir(const std::string& name) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

// Without capabilities even root meets permission checks, as a user's runner does.
void DropCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  syscall(SYS_capset, &header, data);
}

// Runs `fn` in a child process without capabilities; its exit status.
template <typename Fn>
int InChild(Fn fn) {
  pid_t pid = fork();
  if (pid == 0) {
    DropCapabilities();
    _exit(fn());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

void Write(const std::string& path, const std::string& text) { ASSERT_TRUE(WriteFile(path, text).ok()) << path; }

TEST(RemoveTreeTest, RemovesAHostileTreeAndNothingOutsideIt) {
  const std::string base = FreshDir("hostile");
  const std::string outside = base + "/outside", top = base + "/scratch";
  fs::create_directories(outside + "/sub");
  Write(outside + "/keep.txt", "keep");
  chmod(outside.c_str(), 0755);
  chmod((outside + "/keep.txt").c_str(), 0644);
  fs::create_directories(top + "/locked/inner");
  Write(top + "/locked/inner/file", "x");
  Write(top + "/read_only.txt", "x");
  chmod((top + "/read_only.txt").c_str(), 0400);
  fs::create_directories(top + "/wide");
  for (int i = 0; i < 300; ++i) Write(absl::StrCat(top, "/wide/f", i), "x");
  ASSERT_EQ(symlink(outside.c_str(), (top + "/outside-abs").c_str()), 0);
  ASSERT_EQ(symlink("../outside", (top + "/outside-rel").c_str()), 0);
  ASSERT_EQ(symlink((outside + "/keep.txt").c_str(), (top + "/outside-file").c_str()), 0);
  ASSERT_EQ(link((outside + "/keep.txt").c_str(), (top + "/outside-hardlink").c_str()), 0);
  ASSERT_EQ(mkfifo((top + "/fifo").c_str(), 0600), 0);
  // Deeper than PATH_MAX, with mode 000 folders along the way, built from inside.
  const int start = open(".", O_RDONLY | O_DIRECTORY);
  ASSERT_EQ(chdir(top.c_str()), 0);
  for (int level = 0; level < 1100; ++level) {
    ASSERT_EQ(mkdir("dddd", 0755), 0) << level;
    ASSERT_EQ(chdir("dddd"), 0) << level;
    if (level % 100 == 0) ASSERT_EQ(symlink(outside.c_str(), "out"), 0);
    if (level % 300 == 150) chmod("..", 0);
  }
  ASSERT_EQ(fchdir(start), 0);
  close(start);
  chmod((top + "/wide").c_str(), 0500);
  chmod((top + "/locked/inner").c_str(), 0);
  chmod((top + "/locked").c_str(), 0);
  chmod(top.c_str(), 0);

  EXPECT_EQ(InChild([&] {
              auto removed = RemoveTree(top);
              if (!removed.ok()) {
                fprintf(stderr, "%s\n", std::string(removed.status().message()).c_str());
                return 1;
              }
              return removed->entries > 1100 + 300 ? 0 : 2;
            }),
            0);
  EXPECT_FALSE(fs::exists(fs::symlink_status(top)));
  EXPECT_EQ(ReadFile(outside + "/keep.txt").value_or(""), "keep");
  EXPECT_TRUE(fs::is_directory(outside + "/sub"));
  struct stat st;
  ASSERT_EQ(stat(outside.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(stat((outside + "/keep.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST(RemoveTreeTest, ALinkIsRemovedNotFollowed) {
  const std::string base = FreshDir("link");
  fs::create_directories(base + "/target");
  Write(base + "/target/file", "x");
  ASSERT_EQ(symlink((base + "/target").c_str(), (base + "/link").c_str()), 0);
  auto removed = RemoveTree(base + "/link");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_FALSE(fs::exists(fs::symlink_status(base + "/link")));
  EXPECT_TRUE(fs::exists(base + "/target/file"));
}

TEST(RemoveTreeTest, AMissingFolderIsNoErrorAndSizesAreCounted) {
  auto missing = RemoveTree(::testing::TempDir() + "/no-such-folder");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->entries, 0);
  const std::string dir = FreshDir("sized");
  Write(dir + "/big", std::string(3 << 20, 'x'));
  auto removed = RemoveTree(dir);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->entries, 2);
  EXPECT_GE(removed->bytes, 3 << 20);
}

TEST(RemoveScratchTest, KillsAProcessStillWritingThere) {
  const std::string dir = FreshDir("busy");
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    if (chdir(dir.c_str()) != 0) _exit(1);
    execlp("sh", "sh", "-c", "i=0; while :; do i=$((i + 1)); echo $i > note-$((i % 20)); done", nullptr);
    _exit(1);
  }
  for (int i = 0; i < 200 && !fs::exists(dir + "/note-5"); ++i) usleep(10000);
  ASSERT_TRUE(fs::exists(dir + "/note-5")) << "the writer did not start";
  auto removed = RemoveScratch(dir);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_NE(kill(pid, 0), 0) << "the writer is still alive";
  int status;
  waitpid(pid, &status, WNOHANG);
}

// A runner process that makes its folder under `root` and writes into it; it exits
// without removing the folder (as one killed with SIGKILL would) once a byte is
// written to `release`. Not a child of this one (a double fork): RunnerScratch's destructor kills
// this process's descendants. Returns its pid.
pid_t StartRunner(const std::string& root, int* release) {
  int hold[2], report[2];
  if (pipe(hold) != 0 || pipe(report) != 0) return -1;
  pid_t child = fork();
  if (child == 0) {
    if (fork() == 0) {
      close(hold[1]);
      const pid_t self = getpid();
      (void)!write(report[1], &self, sizeof(self));
      auto scratch = RunnerScratch::Open(root, false, "runner", nullptr);
      if (!scratch.ok() || !WriteFile((*scratch)->dir() + "/data", std::string(1 << 20, 'x')).ok()) _exit(1);
      char byte;
      (void)!read(hold[0], &byte, 1);
      _exit(0);
    }
    _exit(0);
  }
  waitpid(child, nullptr, 0);
  close(hold[0]);
  close(report[1]);
  pid_t runner = -1;
  (void)!read(report[0], &runner, sizeof(runner));
  close(report[0]);
  *release = hold[1];
  return runner;
}

void AwaitEnd(pid_t pid) {
  for (int i = 0; i < 500 && ProcessStartTicks(pid) >= 0; ++i) usleep(10000);
}

int CountEntries(const std::string& dir, const std::string& prefix) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += absl::StartsWith(entry.path().filename().string(), prefix);
  return n;
}

TEST(RunnerScratchTest, ReclaimsTheFoldersOfDeadRunnersOnly) {
  const std::string root = FreshDir("root");
  fs::create_directories(root + "/tb-notes");
  fs::create_directories(root + "/tb-kept-1-abcdef");
  fs::create_directories(root + "/other");
  int dead_release, live_release;
  const pid_t dead = StartRunner(root, &dead_release);
  const pid_t live = StartRunner(root, &live_release);
  for (int i = 0; i < 500 && CountEntries(root, "tb-") < 4; ++i) usleep(10000);
  ASSERT_EQ(CountEntries(root, "tb-"), 4);
  ASSERT_EQ(write(dead_release, "x", 1), 1);
  AwaitEnd(dead);

  std::ostringstream log;
  {
    auto mine = RunnerScratch::Open(root, false, "test", &log);
    ASSERT_TRUE(mine.ok()) << mine.status();
    EXPECT_TRUE(absl::StrContains(log.str(), "test: removed 1 scratch folder(s) of runners no longer alive under " + root))
        << log.str();
    EXPECT_TRUE(absl::StrContains(log.str(), "1.0 MiB reclaimed")) << log.str();
    EXPECT_TRUE(fs::is_directory((*mine)->dir()));
    EXPECT_EQ(CountEntries(root, "tb-"), 4) << "the live runner's, this one's, tb-notes and the kept folder";
    Write((*mine)->dir() + "/file", "x");
  }
  EXPECT_EQ(CountEntries(root, "tb-"), 3) << "this runner's folder goes when it ends";
  ASSERT_EQ(write(live_release, "x", 1), 1);
  AwaitEnd(live);
  auto next = RunnerScratch::Open(root, false, "test", &log);
  ASSERT_TRUE(next.ok()) << next.status();
  next->reset();
  close(dead_release);
  close(live_release);
  EXPECT_TRUE(fs::is_directory(root + "/tb-notes"));
  EXPECT_TRUE(fs::is_directory(root + "/tb-kept-1-abcdef"));
  EXPECT_TRUE(fs::is_directory(root + "/other"));
  EXPECT_EQ(CountEntries(root, "tb-"), 2);
}

TEST(RunnerScratchTest, AKeptFolderStaysAndIsNamed) {
  const std::string root = FreshDir("kept");
  std::ostringstream log;
  std::string dir;
  {
    auto scratch = RunnerScratch::Open(root, true, "test", &log);
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    dir = (*scratch)->dir();
    EXPECT_TRUE(absl::StartsWith(dir, root + "/tb-kept-")) << dir;
  }
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_TRUE(absl::StrContains(log.str(), "test: scratch folders kept in " + dir)) << log.str();
  auto other = RunnerScratch::Open(root, false, "test", &log);
  ASSERT_TRUE(other.ok());
  other->reset();
  EXPECT_TRUE(fs::is_directory(dir)) << "a kept folder is never reclaimed";
}

TEST(CandidateCanWriteInTest, SharedMemoryIsWithinReachOtherFoldersAreNot) {
  if (!fs::is_directory("/dev/shm")) GTEST_SKIP() << "no /dev/shm here";
  EXPECT_TRUE(CandidateCanWriteIn("/dev/shm"));
  const std::string under = "/dev/shm/tb-scratch-test-" + std::to_string(getpid());
  ASSERT_EQ(mkdir(under.c_str(), 0700), 0);
  EXPECT_TRUE(CandidateCanWriteIn(under));
  const std::string root = FreshDir("reach");
  EXPECT_FALSE(CandidateCanWriteIn(root));
  EXPECT_TRUE(ScratchOutOfReach(root, "--scratch_dir").ok());
  // A link elsewhere that leads into /dev/shm counts as /dev/shm.
  const std::string link = root + "/to-shm";
  ASSERT_EQ(symlink(under.c_str(), link.c_str()), 0);
  EXPECT_TRUE(CandidateCanWriteIn(link));
  const absl::Status refused = ScratchOutOfReach(link, "--scratch_dir");
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.message(), link)) << refused.message();
  EXPECT_TRUE(absl::StrContains(refused.message(), "--scratch_dir")) << refused.message();
  // A name that only starts like it is elsewhere.
  EXPECT_FALSE(CandidateCanWriteIn("/dev/shmother"));
  rmdir(under.c_str());
}

}  // namespace
}  // namespace tritonbench
