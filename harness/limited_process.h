// Runs an untrusted command in its own process group with a wall-clock timeout, a
// memory limit and bounded output capture. Whatever the command does (crash, hang,
// fork, escape its group with setsid(), allocate without end, print without end) the
// caller gets an outcome back, and nothing it started outlives it: every process seen
// in its group or among its descendants while it ran is killed at the end, found again
// after its parent died because the calling process becomes a child subreaper
// (PR_SET_CHILD_SUBREAPER) and orphans come back to it. (Processes are sampled every
// 50 ms; the worker, itself a subreaper, kills its own descendants first.) The command
// also dies with the thread that started it (PR_SET_PDEATHSIG), a runner killed with
// SIGKILL included.
#ifndef TRITONBENCH_HARNESS_LIMITED_PROCESS_H_
#define TRITONBENCH_HARNESS_LIMITED_PROCESS_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tritonbench {

struct ProcessLimits {
  double timeout_seconds = 600;
  // Resident memory of the process group plus every descendant; 0 = unlimited.
  int64_t memory_limit_bytes = 0;
  // Bytes of stdout and of stderr kept (head and tail); the rest is dropped.
  int64_t output_limit_bytes = 64 * 1024;
  // RLIMIT_FSIZE: the largest file the command may write (its captured output too).
  int64_t file_size_limit_bytes = 512LL << 20;
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  std::vector<std::string> env;   // "NAME=value"; the command sees only these
  std::string working_dir;        // empty: inherit
  // Folder for the captured stdout/stderr files; must exist.
  std::string scratch_dir;
  ProcessLimits limits;
  // When set and it turns true (say, from a SIGINT handler), the group is killed and
  // the outcome says cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct ProcessOutcome {
  int exit_code = -1;      // when it exited normally
  int term_signal = 0;     // when a signal ended it (SIGKILL after a limit too)
  bool timed_out = false;
  bool memory_exceeded = false;
  bool cancelled = false;
  int64_t peak_rss_bytes = 0;  // of the process group, as sampled
  double wall_seconds = 0;
  std::string stdout_text;  // truncated to limits.output_limit_bytes
  std::string stderr_text;

  bool Succeeded() const { return exit_code == 0 && term_signal == 0 && !timed_out && !memory_exceeded && !cancelled; }
  // A short description such as "killed by signal 11 (Segmentation fault)".
  std::string Describe() const;
};

// Runs `spec` to completion or until a limit ends it. Every process it left behind (in
// its group, among its descendants, or re-parented to this process from it) is killed
// before this returns. Safe to call from several threads at once. Fails only when the command could not be started
// (for example, argv[0] does not exist).
absl::StatusOr<ProcessOutcome> RunLimited(const ProcessSpec& spec);

// Start time of process `pid` in clock ticks after boot (/proc/<pid>/stat): with the
// pid it names one process, never a later one given the same pid. -1 when no such
// process lives (a zombie counts as gone).
int64_t ProcessStartTicks(pid_t pid);

// SIGKILLs every process this one may signal (itself excepted) whose working directory,
// root, executable, an open file or a mapped file lies at or below `dir`, and waits
// until none is left (reaping its own children). Returns how many it killed. Used
// before a scratch folder is removed, so that nothing writes into it meanwhile.
int KillProcessesUsing(const std::string& dir);

// SIGKILLs every descendant of this process (candidates' escaped processes re-parented
// to it as subreaper) and reaps its children. Only for when no RunLimited call is in
// flight: a running command is a descendant too. Returns how many it killed.
int KillDescendants();

// Keeps the first quarter and the last three quarters of `limit` bytes of `text`,
// with a marker saying how much was dropped.
std::string TruncateMiddle(const std::string& text, int64_t limit);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_LIMITED_PROCESS_H_
