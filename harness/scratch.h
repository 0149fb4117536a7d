// Scratch space of evaluations: the folders where the judge and the candidate exchange
// inputs and outputs (GBs at performance sizes), and where the worker's HOME, TMPDIR
// and compile caches live. Nothing of it outlives its use.
//
// A runner process (tools/evaluate, tools/run_config) keeps every evaluation's folder
// in its own runner folder, <root>/tb-<pid>-<start>-<machine>: the pid and start time
// name the process, <machine> the boot and pid namespace it runs in. The Evaluator
// removes each evaluation's folder when the evaluation ends; the runner removes its own
// folder when it ends, and a runner that could not (killed with SIGKILL, a lost
// machine) has its folder removed by the next runner that starts on the same root,
// while the folders of runners still alive beside it stay untouched.
#ifndef TRITONBENCH_HARNESS_SCRATCH_H_
#define TRITONBENCH_HARNESS_SCRATCH_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace tritonbench {

struct RemovedTree {
  int64_t entries = 0;  // files, links and folders removed
  int64_t bytes = 0;    // disk space they held (blocks of files not linked elsewhere)
};

// Removes `path` and everything below it, whatever a hostile process left there: a
// symbolic link is removed, never followed (nothing outside `path` is touched); a
// folder is opened up (mode 0700) before it is read, so mode 000 and read-only folders
// go too; any depth, without recursion and without paths longer than one name; no
// other file system mounted below is entered. A missing `path` is no error. Goes on
// past what it cannot remove, then fails naming the first such entry and how many.
// Only for folders no process writes into any more (see RemoveScratch).
absl::StatusOr<RemovedTree> RemoveTree(const std::string& path);

// Kills every process still using `path` (KillProcessesUsing), then RemoveTree.
absl::StatusOr<RemovedTree> RemoveScratch(const std::string& path);

// Whether a candidate's sandbox lets it write in `dir`: it may write under /dev/shm,
// where GPU runtimes keep shared memory (harness/python/sandbox.py), so a scratch
// folder there puts the judge's and the yardstick's files within an untrusted
// candidate's reach. Resolves links; false for a path that does not exist.
bool CandidateCanWriteIn(const std::string& dir);

// The error for a runner that would judge untrusted candidates in such a folder,
// naming `flag` (the runner's flag that chose it).
absl::Status ScratchOutOfReach(const std::string& dir, const std::string& flag);

// A runner's folder under a scratch root, for the runner's lifetime.
class RunnerScratch {
 public:
  // The root is `requested_root`, or if empty $TMPDIR, else /tmp (made if missing).
  // Removes the runner folders under it whose runner is no longer alive on this
  // machine (killing the processes still using them) and says on `log` how much that
  // reclaimed, naming `program`; then makes this process's runner folder. With `keep`,
  // nothing this runner makes is removed: its folder is <root>/tb-kept-<pid>-XXXXXX,
  // which no runner reclaims, and `log` is told where.
  static absl::StatusOr<std::unique_ptr<RunnerScratch>> Open(const std::string& requested_root, bool keep,
                                                             const std::string& program, std::ostream* log);

  // Unless kept: kills what is left of the candidates' processes (every descendant of
  // this process, and any process using the folder) and removes the folder, saying on
  // the log what could not be removed. Kept: says again where it is. Call when no
  // evaluation is running.
  ~RunnerScratch();

  RunnerScratch(const RunnerScratch&) = delete;
  RunnerScratch& operator=(const RunnerScratch&) = delete;

  // The folder to give EvaluatorOptions::scratch_dir.
  const std::string& dir() const { return dir_; }
  bool keep() const { return keep_; }

 private:
  RunnerScratch(std::string dir, bool keep, std::string program, std::ostream* log);

  std::string dir_;
  bool keep_;
  std::string program_;
  std::ostream* log_;
};

// What reclaiming the folders of runners no longer alive did.
struct Reclaimed {
  int folders = 0;
  int processes_killed = 0;
  RemovedTree removed;
  std::string error;  // the first folder that could not be removed entirely, and why
};

// Removes the runner folders under `root` that runners no longer alive on this machine
// left (named as RunnerScratch names them, owned by this user), after killing the
// processes still using them. Folders of live runners, kept folders and anything else
// under `root` stay.
Reclaimed ReclaimAbandoned(const std::string& root);

// "12.3 MiB"
std::string Mebibytes(int64_t bytes);

}  // namespace tritonbench

#endif  // TRITONBENCH_HARNESS_SCRATCH_H_
