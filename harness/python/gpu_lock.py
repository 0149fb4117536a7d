"""One GPU shared by several evaluations at once, with no GPU work beside a timing.

`evaluate --jobs=N` runs N workers on one GPU so that their CPU-side work (drawing
inputs, writing and reading the exchange files, importing, compiling) overlaps. What
they do on the GPU is ordered by a readers-writer lock on a file all of them open:

- shared: any GPU work that is not timed (reference outputs, correctness calls, the
  full-size check); many workers at once;
- exclusive: a timed measurement; no other worker has GPU work in flight meanwhile.

Built from two flock(2) files so that a waiting timer is not starved by a stream of
shared holders: everyone passes through a turnstile (PATH.turnstile) held briefly by a
reader and for the whole wait by a writer, so new readers queue behind a waiting
writer. Sections do not nest (a reader re-entering while a writer waits at the
turnstile would deadlock): an inner request inside a held section is a no-op.
Without a path every section is a no-op (one evaluation at a time needs no lock).
Held by the judge only: the candidate's process never sees the lock's file descriptors.
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
        self.main = self.turnstile = None
        if self.path:
            self.main = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.turnstile = os.open(self.path + ".turnstile", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    @contextlib.contextmanager
    def _section(self, exclusive):
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
        fcntl.flock(self.turnstile, fcntl.LOCK_EX)
        try:
            fcntl.flock(self.main, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        finally:
            if not exclusive:
                fcntl.flock(self.turnstile, fcntl.LOCK_UN)
        self.depth, self.exclusive_held = 1, exclusive
        got = time.monotonic()
        self.seconds["gpu_lock_wait"] += got - asked
        try:
            yield
        finally:
            self.depth, self.exclusive_held = 0, False
            self.seconds["gpu_exclusive_held" if exclusive else "gpu_shared_held"] += time.monotonic() - got
            fcntl.flock(self.main, fcntl.LOCK_UN)
            if exclusive:
                fcntl.flock(self.turnstile, fcntl.LOCK_UN)

    def shared(self):
        """GPU work that others may overlap, but no timing may."""
        return self._section(exclusive=False)

    def exclusive(self):
        """A timed measurement: waits until no other worker has GPU work in flight."""
        return self._section(exclusive=True)
