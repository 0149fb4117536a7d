"""One GPU shared by several evaluations at once, with no GPU work beside a timing.

`evaluate --jobs=N` runs N workers on one GPU so that their CPU-side work (drawing
inputs, writing and reading the exchange files, importing, compiling) overlaps. What
they do on the GPU is ordered by a readers-writer lock on files all of them open:

- shared: any GPU work that is not timed (reference outputs, correctness calls, the
  full-size check); many workers at once;
- exclusive: a timed measurement; no other worker has GPU work in flight meanwhile.

Built from three flock(2) files:
- PATH: held shared by every shared section, exclusively by a timing;
- PATH.timers: held shared by every timer from the moment it waits until it is done. A
  shared section enters only while no timer holds it (it takes it exclusively for the
  instant of entering), so a waiting timer is not starved by shared sections that keep
  arriving, and timers that wait together run one after another before shared work
  resumes: the GPU drains once for all of them, not once each;
- PATH.long: held shared by long shared sections (`shared(long=True)`: a torch.compile
  baseline's first call, up to its time limit). A timer that finds one running does not
  announce itself until none is left, so other workers' shared sections go on meanwhile
  instead of queueing behind a timer that could not start anyway. The wait is bounded:
  a worker's compile is followed by its own timing, so each worker adds at most one
  long section before it waits too.

Why three files: with a single turnstile, 8 workers timing every task of a suite on an
H200 spent 58% of their time waiting, mostly while one compile ran or while the GPU
drained for each timing in turn (results/runs/2026-12-03-h200-s20/SUMMARY.md).

Sections do not nest (a shared section re-entering while a timer waits would deadlock):
an inner request inside a held section is a no-op. Without a path every section is a
no-op (one evaluation at a time needs no lock). Held by the judge only: the candidate's
process never sees the lock's file descriptors.
"""

import contextlib
import fcntl
import os
import time


class GpuLock:
    def __init__(self, path):
        self.path = path or ""
        self.depth = 0
        self.exclusive_held = False
        # Seconds spent waiting for, and holding, each kind of section (reported in
        # EvaluationResult.stage_seconds).
        self.seconds = {"gpu_lock_wait": 0.0, "gpu_shared_held": 0.0, "gpu_exclusive_held": 0.0}
        self.main = self.timers = self.long = None
        if self.path:
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
            self.main = os.open(self.path, flags, 0o600)
            self.timers = os.open(self.path + ".timers", flags, 0o600)
            self.long = os.open(self.path + ".long", flags, 0o600)

    def _long_running(self):
        try:
            fcntl.flock(self.long, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self.long, fcntl.LOCK_UN)
        return False

    def _enter_exclusive(self):
        while True:
            if self._long_running():
                fcntl.flock(self.long, fcntl.LOCK_EX)  # until no long section is left
                fcntl.flock(self.long, fcntl.LOCK_UN)
            fcntl.flock(self.timers, fcntl.LOCK_SH)
            # Announced: no shared section can start now. One that started before may be
            # long (it entered between the check and the announcement): wait it out
            # unannounced, as above. (Another timer's check can look like one: retried.)
            if not self._long_running():
                break
            fcntl.flock(self.timers, fcntl.LOCK_UN)
        fcntl.flock(self.main, fcntl.LOCK_EX)

    def _enter_shared(self, long):
        fcntl.flock(self.timers, fcntl.LOCK_EX)  # no timer waiting or timing
        try:
            fcntl.flock(self.main, fcntl.LOCK_SH)  # free: a timer holds it only while announced
            if long:  # before a timer can announce, so that its check sees this section
                fcntl.flock(self.long, fcntl.LOCK_SH)
        finally:
            fcntl.flock(self.timers, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _section(self, exclusive, long=False):
        if self.depth and exclusive and not self.exclusive_held:
            raise RuntimeError("gpu_lock: an exclusive section inside a shared one would not be exclusive")
        if self.main is None or self.depth:
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
            return
        asked = time.monotonic()
        if exclusive:
            self._enter_exclusive()
        else:
            self._enter_shared(long)
        self.depth, self.exclusive_held = 1, exclusive
        got = time.monotonic()
        self.seconds["gpu_lock_wait"] += got - asked
        try:
            yield
        finally:
            self.depth, self.exclusive_held = 0, False
            self.seconds["gpu_exclusive_held" if exclusive else "gpu_shared_held"] += time.monotonic() - got
            if long:
                fcntl.flock(self.long, fcntl.LOCK_UN)
            fcntl.flock(self.main, fcntl.LOCK_UN)
            if exclusive:
                fcntl.flock(self.timers, fcntl.LOCK_UN)

    def shared(self, long=False):
        """GPU work that others may overlap, but no timing may. `long`: it may last
        seconds to minutes (a compile), so a timer waits for it without holding up
        other shared work."""
        return self._section(exclusive=False, long=long)

    def exclusive(self):
        """A timed measurement: waits until no other worker has GPU work in flight."""
        return self._section(exclusive=True)
