#include "harness/limited_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "harness/files.h"

namespace tritonbench {
namespace {

// Sum of the resident set sizes of every process in group `pgid`, from /proc.
int64_t GroupRssBytes(pid_t pgid) {
  static const int64_t kPage = sysconf(_SC_PAGESIZE);
  int64_t total = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* entry = readdir(proc)) {
    int pid;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream stat_file(absl::StrCat("/proc/", pid, "/stat"));
    std::string line;
    if (!std::getline(stat_file, line)) continue;
    // The command name (field 2) may hold spaces; fields after its ')' are plain.
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
    // After ')': state(0) ppid(1) pgrp(2) ... rss is field 24 overall, index 21 here.
    int64_t group, rss;
    if (fields.size() < 22 || !absl::SimpleAtoi(fields[2], &group) ||
        !absl::SimpleAtoi(fields[21], &rss)) {
      continue;
    }
    if (group == pgid) total += rss * kPage;
  }
  closedir(proc);
  return total;
}

[[noreturn]] void ChildExec(const ProcessSpec& spec, int out_fd, int err_fd, int report_fd) {
  setpgid(0, 0);
  // Ignored signals and the blocked mask survive exec; the command starts with none
  // of the runner's (a test runner ignores SIGXFSZ, a shell may ignore SIGINT).
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = open("/dev/null", O_RDONLY);
  dup2(null_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  rlimit fsize{static_cast<rlim_t>(spec.limits.file_size_limit_bytes),
               static_cast<rlim_t>(spec.limits.file_size_limit_bytes)};
  setrlimit(RLIMIT_FSIZE, &fsize);
  if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) {
    int err = errno;
    (void)!write(report_fd, &err, sizeof(err));
    _exit(127);
  }
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  execvpe(argv[0], argv.data(), envp.data());
  int err = errno;
  (void)!write(report_fd, &err, sizeof(err));
  _exit(127);
}

}  // namespace

std::string TruncateMiddle(const std::string& text, int64_t limit) {
  if (limit <= 0 || static_cast<int64_t>(text.size()) <= limit) return text;
  const int64_t head = limit / 4, tail = limit - head;
  return absl::StrCat(text.substr(0, head), "\n[... ", text.size() - head - tail,
                      " bytes omitted ...]\n", text.substr(text.size() - tail));
}

std::string ProcessOutcome::Describe() const {
  if (cancelled) return "was cancelled";
  if (timed_out) return absl::StrCat("timed out after ", wall_seconds, " s");
  if (memory_exceeded) return absl::StrCat("exceeded its memory limit (", peak_rss_bytes >> 20, " MiB resident)");
  if (term_signal != 0) return absl::StrCat("killed by signal ", term_signal, " (", strsignal(term_signal), ")");
  return absl::StrCat("exited with code ", exit_code);
}

absl::StatusOr<ProcessOutcome> RunLimited(const ProcessSpec& spec) {
  if (spec.argv.empty()) return absl::InvalidArgumentError("RunLimited: empty argv");
  const std::string out_path = spec.scratch_dir + "/stdout.txt";
  const std::string err_path = spec.scratch_dir + "/stderr.txt";
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    return absl::InternalError(absl::StrCat("cannot create output files in ", spec.scratch_dir, ": ", strerror(errno)));
  }
  // The child reports an exec failure through this pipe; a successful exec closes it.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return absl::InternalError("pipe2 failed");

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork failed: ", strerror(errno)));
  if (pid == 0) ChildExec(spec, out_fd, err_fd, report[1]);
  setpgid(pid, pid);  // also in the parent, so the group exists before we signal it
  close(out_fd);
  close(err_fd);
  close(report[1]);
  int exec_errno = 0;
  ssize_t got = read(report[0], &exec_errno, sizeof(exec_errno));
  close(report[0]);
  if (got == sizeof(exec_errno)) {
    waitpid(pid, nullptr, 0);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot run '", spec.argv[0], "': ", strerror(exec_errno)));
  }

  ProcessOutcome outcome;
  int status = 0;
  auto next_sample = start;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (spec.cancel != nullptr && spec.cancel->load()) {
      outcome.cancelled = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    if (elapsed > spec.limits.timeout_seconds) {
      outcome.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    if (now >= next_sample) {
      int64_t rss = GroupRssBytes(pid);
      outcome.peak_rss_bytes = std::max(outcome.peak_rss_bytes, rss);
      if (spec.limits.memory_limit_bytes > 0 && rss > spec.limits.memory_limit_bytes) {
        outcome.memory_exceeded = true;
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      next_sample = now + std::chrono::milliseconds(50);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Children the command left behind in its group die with it.
  kill(-pid, SIGKILL);
  outcome.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
  outcome.stdout_text = TruncateMiddle(ReadFile(out_path).value_or(""), spec.limits.output_limit_bytes);
  outcome.stderr_text = TruncateMiddle(ReadFile(err_path).value_or(""), spec.limits.output_limit_bytes);
  return outcome;
}

}  // namespace tritonbench
