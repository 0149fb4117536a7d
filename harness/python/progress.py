"""The judge's progress through an evaluation: the stage it is in (which the runner
reports when the worker dies: EvaluationResult.last_stage) and the wall time of each
kind of stage (EvaluationResult.stage_seconds)."""

import os
import time


def process_age():
    """Seconds since this process started (the kernel's clock, to 1/CLK_TCK), or 0
    where /proc does not tell."""
    try:
        with open("/proc/self/stat") as f:
            started = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - started / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


class Progress:
    """Appends one line per stage to a file the runner reads if this process dies, and
    adds up the wall time of each kind of stage (the label up to its first quote)."""

    def __init__(self, path):
        self.file = open(path, "a", buffering=1) if path else None
        self.stage = ""
        self.clock = time.monotonic
        self.since = self.clock()
        self.seconds = {}

    def _close_stage(self):
        now = self.clock()
        if self.stage:
            kind = self.stage.split("'")[0].strip()
            self.seconds[kind] = self.seconds.get(kind, 0.0) + now - self.since
        self.since = now

    def __call__(self, stage):
        self._close_stage()
        self.stage = stage
        if self.file:
            self.file.write(stage + "\n")
            self.file.flush()

    def add(self, kind, seconds):
        """Time spent outside any stage, counted as `kind`."""
        self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds

    def totals(self):
        self._close_stage()
        return dict(self.seconds)
