#include "harness/scratch.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "harness/limited_process.h"
#include "harness/suite.h"

namespace tritonbench {
namespace {

// Folders above this depth keep their descriptor open; deeper ones are reopened
// through ".." on the way back up (a hostile tree may be deeper than the fd limit).
constexpr size_t kOpenLevels = 64;

// One folder on the way down: what is left to remove in it.
struct Level {
  int fd = -1;  // -1 while closed (deep trees)
  dev_t dev = 0;
  ino_t ino = 0;
  std::string name;  // in its parent
  std::vector<std::string> entries;
  size_t next = 0;
};

// The names in the folder open at `fd` ("." and ".." left out).
std::vector<std::string> ListNames(int fd) {
  std::vector<std::string> names;
  int copy = dup(fd);
  if (copy < 0) return names;
  DIR* dir = fdopendir(copy);
  if (dir == nullptr) {
    close(copy);
    return names;
  }
  while (dirent* entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) names.push_back(entry->d_name);
  }
  closedir(dir);
  return names;
}

// Opens folder `name` in `parent_fd` for reading without following a link, after
// giving it mode 0700 (through an O_PATH descriptor: the mode change cannot reach
// a link's target). -1 unless it is still the folder `expected` described.
int OpenFolder(int parent_fd, const char* name, const struct stat& expected) {
  int path_fd = openat(parent_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (path_fd < 0) return -1;
  struct stat st;
  if (fstat(path_fd, &st) != 0 || st.st_dev != expected.st_dev || st.st_ino != expected.st_ino) {
    close(path_fd);
    errno = ESTALE;
    return -1;
  }
  if ((st.st_mode & 0700) != 0700) chmod(absl::StrCat("/proc/self/fd/", path_fd).c_str(), 0700);
  int fd = openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const int saved = errno;
  close(path_fd);
  errno = saved;
  return fd;
}

// Space a removed entry gave back: its blocks, unless another link keeps them.
int64_t FreedBytes(const struct stat& st) {
  return S_ISDIR(st.st_mode) || st.st_nlink <= 1 ? static_cast<int64_t>(st.st_blocks) * 512 : 0;
}

// The boot id and pid namespace, hashed: tells the runners whose pids this process can
// check (same boot, same pid namespace) from those of another machine or container
// sharing the scratch root.
std::string MachineTag() {
  std::string boot = ReadFile("/proc/sys/kernel/random/boot_id").value_or("");
  char ns[128];
  ssize_t n = readlink("/proc/self/ns/pid", ns, sizeof(ns));
  return Sha256Hex(absl::StrCat(boot, "|", n > 0 ? std::string(ns, n) : "")).substr(0, 8);
}

}  // namespace

absl::StatusOr<RemovedTree> RemoveTree(const std::string& path) {
  RemovedTree removed;
  struct stat top;
  if (lstat(path.c_str(), &top) != 0) {
    if (errno == ENOENT) return removed;
    return absl::InternalError(absl::StrCat("cannot remove ", path, ": ", strerror(errno)));
  }
  if (!S_ISDIR(top.st_mode)) {
    if (unlink(path.c_str()) != 0 && errno != ENOENT) {
      return absl::InternalError(absl::StrCat("cannot remove ", path, ": ", strerror(errno)));
    }
    removed.entries = 1;
    removed.bytes = FreedBytes(top);
    return removed;
  }
  int top_fd = OpenFolder(AT_FDCWD, path.c_str(), top);
  if (top_fd < 0) return absl::InternalError(absl::StrCat("cannot open ", path, ": ", strerror(errno)));

  // Each folder is listed once, when entered: an entry that cannot be removed is not
  // met again.
  int failures = 0;
  std::string first_failure;
  std::vector<Level> levels;
  auto where = [&](const std::string& name) {
    std::vector<std::string> parts = {path};
    for (size_t i = 1; i < levels.size(); ++i) parts.push_back(levels[i].name);
    parts.push_back(name);
    return absl::StrJoin(parts, "/");
  };
  auto fail = [&](const std::string& name, const std::string& why) {
    if (failures++ == 0) first_failure = absl::StrCat(where(name), ": ", why);
  };
  levels.push_back(Level{top_fd, top.st_dev, top.st_ino, "", ListNames(top_fd)});
  while (!levels.empty()) {
    Level& level = levels.back();
    if (level.next < level.entries.size()) {
      const std::string name = level.entries[level.next++];
      struct stat st;
      if (fstatat(level.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) fail(name, strerror(errno));
        continue;
      }
      if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(level.fd, name.c_str(), 0) == 0 || errno == ENOENT) {
          ++removed.entries;
          removed.bytes += FreedBytes(st);
        } else {
          fail(name, strerror(errno));
        }
        continue;
      }
      if (st.st_dev != top.st_dev) {
        fail(name, "another file system is mounted there");
        continue;
      }
      int fd = OpenFolder(level.fd, name.c_str(), st);
      if (fd < 0) {
        if (errno != ENOENT) fail(name, strerror(errno));
        continue;
      }
      if (levels.size() >= kOpenLevels) {
        close(level.fd);
        level.fd = -1;
      }
      levels.push_back(Level{fd, st.st_dev, st.st_ino, name, ListNames(fd)});
      continue;
    }
    // Every entry of this folder is handled: remove the folder from its parent.
    if (levels.size() == 1) {
      close(level.fd);
      levels.pop_back();
      break;
    }
    Level& parent = levels[levels.size() - 2];
    if (parent.fd < 0) {
      parent.fd = openat(level.fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      struct stat st;
      if (parent.fd < 0 || fstat(parent.fd, &st) != 0 || st.st_dev != parent.dev || st.st_ino != parent.ino) {
        // Moved while being removed: stop rather than guess where we are.
        const std::string at = where("");
        for (Level& l : levels) {
          if (l.fd >= 0) close(l.fd);
        }
        return absl::InternalError(absl::StrCat("cannot remove ", path, ": ", at, " moved during removal"));
      }
    }
    close(level.fd);
    const std::string name = level.name;
    levels.pop_back();
    if (unlinkat(levels.back().fd, name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
      ++removed.entries;
    } else {
      fail(name, strerror(errno));
    }
  }
  if (rmdir(path.c_str()) == 0 || errno == ENOENT) {
    ++removed.entries;
  } else if (failures++ == 0) {
    first_failure = absl::StrCat(path, ": ", strerror(errno));
  }
  if (failures > 0) {
    return absl::InternalError(
        absl::StrCat("cannot remove ", first_failure, failures > 1 ? absl::StrCat(" (and ", failures - 1, " more)") : ""));
  }
  return removed;
}

absl::StatusOr<RemovedTree> RemoveScratch(const std::string& path) {
  KillProcessesUsing(path);
  return RemoveTree(path);
}

std::string Mebibytes(int64_t bytes) { return absl::StrFormat("%.1f MiB", bytes / 1048576.0); }

Reclaimed ReclaimAbandoned(const std::string& root) {
  Reclaimed reclaimed;
  const std::string machine = MachineTag();
  DIR* dir = opendir(root.c_str());
  if (dir == nullptr) return reclaimed;
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) names.push_back(entry->d_name);
  closedir(dir);
  for (const std::string& name : names) {
    // tb-<pid>-<start>-<machine>
    std::vector<std::string> parts = absl::StrSplit(name, '-');
    int pid;
    int64_t start;
    if (parts.size() != 4 || parts[0] != "tb" || parts[3] != machine || !absl::SimpleAtoi(parts[1], &pid) ||
        !absl::SimpleAtoi(parts[2], &start)) {
      continue;
    }
    const std::string path = absl::StrCat(root, "/", name);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) continue;
    if (ProcessStartTicks(pid) == start) continue;  // its runner is alive
    reclaimed.processes_killed += KillProcessesUsing(path);
    auto removed = RemoveTree(path);
    ++reclaimed.folders;
    if (removed.ok()) {
      reclaimed.removed.entries += removed->entries;
      reclaimed.removed.bytes += removed->bytes;
    } else if (reclaimed.error.empty()) {
      reclaimed.error = std::string(removed.status().message());
    }
  }
  return reclaimed;
}

bool CandidateCanWriteIn(const std::string& dir) {
  char resolved[PATH_MAX];
  if (realpath(dir.c_str(), resolved) == nullptr) return false;
  const std::string path = resolved;
  return path == "/dev/shm" || absl::StartsWith(path, "/dev/shm/");
}

absl::Status ScratchOutOfReach(const std::string& dir, const std::string& flag) {
  if (!CandidateCanWriteIn(dir)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the scratch folder ", dir, " is under /dev/shm, where a candidate's sandbox may write (GPU runtimes keep ",
      "shared memory there): the judge's files would be within its reach. Give ", flag,
      " (or $TMPDIR) a folder elsewhere; /dev/shm is for ground-truth sweeps (evaluate without --candidate)"));
}

RunnerScratch::RunnerScratch(std::string dir, bool keep, std::string program, std::ostream* log)
    : dir_(std::move(dir)), keep_(keep), program_(std::move(program)), log_(log) {}

absl::StatusOr<std::unique_ptr<RunnerScratch>> RunnerScratch::Open(const std::string& requested_root, bool keep,
                                                                   const std::string& program, std::ostream* log) {
  const char* tmpdir = getenv("TMPDIR");
  const std::string root = !requested_root.empty() ? requested_root : (tmpdir != nullptr && *tmpdir) ? tmpdir : "/tmp";
  if (mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot create the scratch folder ", root, ": ", strerror(errno)));
  }
  const Reclaimed reclaimed = ReclaimAbandoned(root);
  if (reclaimed.folders > 0 && log != nullptr) {
    *log << program << ": removed " << reclaimed.folders << " scratch folder(s) of runners no longer alive under "
         << root << ", " << Mebibytes(reclaimed.removed.bytes) << " reclaimed";
    if (reclaimed.processes_killed > 0) *log << "; stopped " << reclaimed.processes_killed << " process(es) left in them";
    *log << "\n";
    if (!reclaimed.error.empty()) *log << program << ": " << reclaimed.error << "\n";
  }
  const pid_t self = getpid();
  std::string dir;
  if (keep) {
    dir = absl::StrCat(root, "/tb-kept-", self, "-XXXXXX");
    if (mkdtemp(dir.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("cannot create a scratch folder under ", root, ": ", strerror(errno)));
    }
    if (log != nullptr) *log << program << ": scratch folders are kept in " << dir << "\n";
  } else {
    dir = absl::StrCat(root, "/tb-", self, "-", ProcessStartTicks(self), "-", MachineTag());
    if (mkdir(dir.c_str(), 0700) != 0) {
      return absl::InternalError(absl::StrCat("cannot create the scratch folder ", dir, ": ", strerror(errno)));
    }
  }
  return std::unique_ptr<RunnerScratch>(new RunnerScratch(std::move(dir), keep, program, log));
}

RunnerScratch::~RunnerScratch() {
  if (keep_) {
    if (log_ != nullptr) *log_ << program_ << ": scratch folders kept in " << dir_ << "\n";
    return;
  }
  KillDescendants();
  auto removed = RemoveScratch(dir_);
  if (!removed.ok() && log_ != nullptr) *log_ << program_ << ": " << removed.status().message() << "\n";
}

}  // namespace tritonbench
