#include "harness/limited_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"

namespace tritonbench {
namespace {

struct ProcInfo {
  pid_t ppid = 0;
  pid_t pgrp = 0;
  char state = '?';
  int64_t rss_pages = 0;
  int64_t start_ticks = 0;  // tells a pid's process from a later one with the same pid
};

// Whether the process runs anything. A zombie (exited, not yet reaped by its parent)
// does not: it is never counted or killed, only reaped when it is this process's child.
// harness/python/sandbox.py (descendants) leaves zombies out the same way.
bool Alive(const ProcInfo& info) { return info.state != 'Z' && info.state != 'X'; }

// /proc/<pid>/stat; false when there is no such process.
bool ReadProcInfo(pid_t pid, ProcInfo* info) {
  std::ifstream stat_file(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat_file, line)) return false;
  // The command name (field 2) may hold spaces; fields after its ')' are plain.
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return false;
  std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
  // After ')': state(0) ppid(1) pgrp(2) ... starttime is field 22 overall, index 19
  // here; rss field 24, index 21.
  int64_t ppid, group, rss, start;
  if (fields.size() < 22 || fields[0].empty() || !absl::SimpleAtoi(fields[1], &ppid) ||
      !absl::SimpleAtoi(fields[2], &group) || !absl::SimpleAtoi(fields[19], &start) ||
      !absl::SimpleAtoi(fields[21], &rss)) {
    return false;
  }
  info->state = fields[0][0];
  info->start_ticks = start;
  info->ppid = static_cast<pid_t>(ppid);
  info->pgrp = static_cast<pid_t>(group);
  info->rss_pages = rss;
  return true;
}

// The pids in /proc.
std::vector<pid_t> AllPids() {
  std::vector<pid_t> pids;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = readdir(proc)) {
    int pid;
    if (absl::SimpleAtoi(entry->d_name, &pid)) pids.push_back(pid);
  }
  closedir(proc);
  return pids;
}

// Every process visible in /proc, by pid.
std::map<pid_t, ProcInfo> ProcessTable() {
  std::map<pid_t, ProcInfo> table;
  for (pid_t pid : AllPids()) {
    ProcInfo info;
    if (ReadProcInfo(pid, &info)) table[pid] = info;
  }
  return table;
}

// `root`'s descendants (not `root`) in `table`.
std::vector<pid_t> Descendants(const std::map<pid_t, ProcInfo>& table, pid_t root) {
  std::map<pid_t, std::vector<pid_t>> children;
  for (const auto& [pid, info] : table) children[info.ppid].push_back(pid);
  std::vector<pid_t> found, todo = children[root];
  while (!todo.empty()) {
    pid_t pid = todo.back();
    todo.pop_back();
    found.push_back(pid);
    for (pid_t c : children[pid]) todo.push_back(c);
  }
  return found;
}

// The processes of a command: its process group plus every descendant (a process
// that left the group with setsid() still counts while it is a descendant).
std::set<pid_t> Members(const std::map<pid_t, ProcInfo>& table, pid_t root) {
  std::set<pid_t> members;
  for (pid_t p : Descendants(table, root)) members.insert(p);
  members.insert(root);
  for (const auto& [pid, info] : table) {
    if (info.pgrp == root) members.insert(pid);
  }
  return members;
}

// Resident memory of the command's processes; remembers each in `seen` (pid -> start).
int64_t TreeRssBytes(pid_t root, std::map<pid_t, int64_t>* seen) {
  static const int64_t kPage = sysconf(_SC_PAGESIZE);
  auto table = ProcessTable();
  int64_t total = 0;
  for (pid_t p : Members(table, root)) {
    auto it = table.find(p);
    if (it == table.end()) continue;
    total += it->second.rss_pages * kPage;
    (*seen)[p] = it->second.start_ticks;
  }
  return total;
}

// Kills the command's group and descendants, and every process seen among them while
// it ran that still lives (an escapee whose parent died was re-parented to this
// process, a subreaper, or to init), with their descendants. Reaps what it killed, and
// the command's zombies that came back to this process.
void KillLeftovers(pid_t root, const std::map<pid_t, int64_t>& seen) {
  kill(-root, SIGKILL);
  const pid_t self = getpid();
  for (int round = 0; round < 20; ++round) {
    auto table = ProcessTable();
    std::vector<pid_t> processes;
    for (pid_t p : Members(table, root)) {
      if (p != root) processes.push_back(p);
    }
    for (const auto& [pid, start] : seen) {
      auto it = table.find(pid);
      if (pid == root || it == table.end() || it->second.start_ticks != start) continue;
      processes.push_back(pid);
      for (pid_t d : Descendants(table, pid)) processes.push_back(d);
    }
    std::vector<pid_t> victims;
    for (pid_t p : processes) {
      const ProcInfo& info = table[p];
      if (Alive(info)) {
        victims.push_back(p);
      } else if (info.ppid == self) {
        waitpid(p, nullptr, 0);
      }
    }
    if (victims.empty()) break;
    for (pid_t p : victims) kill(p, SIGKILL);
    for (pid_t p : victims) {
      if (table[p].ppid == self) waitpid(p, nullptr, 0);
    }
  }
}

// argv and envp are built before fork(): with other threads running (evaluate --jobs),
// the child of a fork should not allocate before it execs.
[[noreturn]] void ChildExec(const ProcessSpec& spec, char* const* argv, char* const* envp, int out_fd,
                            int err_fd, int report_fd, pid_t parent) {
  setpgid(0, 0);
  // A runner killed with SIGKILL takes its worker along (its scratch folder is then
  // reclaimed by the next runner, harness/scratch.h).
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != parent) _exit(127);
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
  execvpe(argv[0], argv, envp);
  int err = errno;
  (void)!write(report_fd, &err, sizeof(err));
  _exit(127);
}

// Whether the /proc link `link` points at `dir` or below it.
bool LinkUnder(const std::string& link, const std::string& dir) {
  char target[PATH_MAX];
  const ssize_t n = readlink(link.c_str(), target, sizeof(target));
  if (n <= 0) return false;
  const absl::string_view text(target, static_cast<size_t>(n));
  if (!absl::StartsWith(text, dir)) return false;
  const absl::string_view rest = text.substr(dir.size());
  return rest.empty() || rest[0] == '/' || rest == " (deleted)";
}

// Whether process `pid` has its working directory, root, executable, an open file or a
// mapped file at or below `dir`.
bool UsesDir(pid_t pid, const std::string& dir) {
  const std::string base = absl::StrCat("/proc/", pid);
  for (const char* link : {"/cwd", "/root", "/exe"}) {
    if (LinkUnder(base + link, dir)) return true;
  }
  if (DIR* fds = opendir((base + "/fd").c_str())) {
    bool found = false;
    while (dirent* entry = readdir(fds)) {
      if (entry->d_name[0] != '.' && LinkUnder(absl::StrCat(base, "/fd/", entry->d_name), dir)) {
        found = true;
        break;
      }
    }
    closedir(fds);
    if (found) return true;
  }
  std::ifstream maps(base + "/maps");
  const std::string needle = " " + dir + "/";
  for (std::string line; std::getline(maps, line);) {
    if (absl::StrContains(line, needle)) return true;
  }
  return false;
}

}  // namespace

int64_t ProcessStartTicks(pid_t pid) {
  ProcInfo info;
  if (pid <= 0 || !ReadProcInfo(pid, &info) || !Alive(info)) return -1;
  return info.start_ticks;
}

int KillProcessesUsing(const std::string& dir) {
  char real[PATH_MAX];
  if (realpath(dir.c_str(), real) == nullptr) return 0;
  const std::string root = real;
  const pid_t self = getpid();
  std::set<pid_t> killed;
  // A killed process holds its files until it is gone: look again until none is left.
  for (int round = 0; round < 200; ++round) {
    std::vector<pid_t> users;
    for (pid_t pid : AllPids()) {
      if (pid != self && UsesDir(pid, root)) users.push_back(pid);
    }
    if (users.empty()) break;
    for (pid_t pid : users) {
      if (kill(pid, SIGKILL) == 0) killed.insert(pid);
      ProcInfo info;
      if (ReadProcInfo(pid, &info) && info.ppid == self) waitpid(pid, nullptr, 0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return static_cast<int>(killed.size());
}

int KillDescendants() {
  const pid_t self = getpid();
  std::set<pid_t> killed;
  for (int round = 0; round < 50; ++round) {
    auto table = ProcessTable();
    bool alive = false;
    for (pid_t p : Descendants(table, self)) {
      const ProcInfo& info = table[p];
      if (Alive(info)) {
        alive = true;
        if (kill(p, SIGKILL) == 0) killed.insert(p);
      }
      // Children come back here as they die (this process being a subreaper).
      if (info.ppid == self) waitpid(p, nullptr, 0);
    }
    if (!alive) break;
  }
  return static_cast<int>(killed.size());
}

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

  // Orphans of the command come back to this process (not to init), to be reaped.
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  const auto start = std::chrono::steady_clock::now();
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const pid_t self = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork failed: ", strerror(errno)));
  if (pid == 0) ChildExec(spec, argv.data(), envp.data(), out_fd, err_fd, report[1], self);
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

  std::map<pid_t, int64_t> seen;  // every process of the command sampled so far
  ProcessOutcome outcome;
  int status = 0;
  auto next_sample = start;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    // ECHILD: reaped elsewhere (KillProcessesUsing found it using another's folder).
    if (done == pid || (done < 0 && errno == ECHILD)) break;
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
      int64_t rss = TreeRssBytes(pid, &seen);
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
  // A scheduler ending a job (Slurm's scancel or time limit) signals every process of
  // it: the command may die of that signal just before the caller's own handler sets
  // `cancel`. A command ended by such a signal, which nothing here sends, is cancelled
  // when `cancel` turns true within a moment, not a crash to record.
  if (!outcome.cancelled && spec.cancel != nullptr && WIFSIGNALED(status) &&
      (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGHUP)) {
    for (int i = 0; i < 50 && !spec.cancel->load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    outcome.cancelled = spec.cancel->load();
  }
  // Children the command left behind, in its group or escaped from it, die with it.
  KillLeftovers(pid, seen);
  outcome.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
  outcome.stdout_text = TruncateMiddle(ReadFile(out_path).value_or(""), spec.limits.output_limit_bytes);
  outcome.stderr_text = TruncateMiddle(ReadFile(err_path).value_or(""), spec.limits.output_limit_bytes);
  return outcome;
}

}  // namespace tritonbench
