"""The judge's handle on the candidate process (candidate_process.py).

The candidate process is forked as soon as the judge has imported torch, before the
judge reads its request and before anything touches the GPU: it never holds the
request, the expected outputs or the result's token, and it starts its own GPU context.
While waiting for a reply the judge watches it: a candidate process that dies becomes
CRASH (with its signal or exit code), more than `PROCESS_LIMIT` descendants becomes
REJECTED_BY_CHECK process_limit, and any process still alive after a call returned
(a background job, a setsid() escape, which the judge as subreaper still sees) becomes
REJECTED_BY_CHECK leftover_process. Every such process is killed. Processes of the
yardstick (`spare`: forked by the judge too, trusted) are neither counted nor killed.

`stopped()` freezes the candidate process and every descendant (SIGSTOP) while the
yardstick reads its inputs and times: no code of the candidate runs beside the
yardstick's measurement, and none can touch the files the yardstick reads.
"""

import contextlib
import os
import signal
import time

import child_process
import sandbox
import verdicts
from failures import rejected

# Descendants the candidate may have at once (Triton runs ptxas and a few helpers).
PROCESS_LIMIT = 32


class CandidateProcess(child_process.ChildProcess):
    name = "the candidate process"

    def __init__(self):
        import candidate_process

        super().__init__(candidate_process.serve)
        self.spare = set()

    def _others(self):
        """Living descendants of the judge that are neither this process nor spared."""
        spared = set(self.spare)
        for pid in self.spare:
            spared.update(sandbox.descendants(pid))
        return [p for p in sandbox.descendants(os.getpid()) if p != self.pid and p not in spared]

    def while_waiting(self):
        if len(self._others()) > PROCESS_LIMIT:
            sandbox.kill_descendants(os.getpid(), keep={self.pid}, spare=self.spare)
            raise rejected(verdicts.PROCESS_LIMIT, f"the candidate started more than {PROCESS_LIMIT} processes")

    def after_reply(self):
        left = self._others()
        if not left:
            return
        names = []
        for pid in left[:5]:
            try:
                with open(f"/proc/{pid}/comm") as f:
                    names.append(f"{pid} ({f.read().strip()})")
            except OSError:
                names.append(str(pid))
        sandbox.kill_descendants(os.getpid(), keep={self.pid}, spare=self.spare)
        raise rejected(verdicts.LEFTOVER_PROCESS,
                       f"{len(left)} process(es) started by the candidate were still running after the call: "
                       f"{', '.join(names)}")

    def _signal_tree(self, sig):
        for pid in [self.pid] + sandbox.descendants(self.pid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def _wait_stopped(self, limit_s=2.0):
        """Waits until every thread of the process tree is stopped (a thread inside a
        system call stops when it returns), at most `limit_s`."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            running = False
            for pid in [self.pid] + sandbox.descendants(self.pid):
                try:
                    tasks = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    continue
                for tid in tasks:
                    try:
                        with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                            line = f.read()
                    except OSError:
                        continue
                    state = line[line.rfind(b")") + 2:line.rfind(b")") + 3]
                    if state not in (b"T", b"t", b"Z", b"X"):
                        running = True
            if not running:
                return
            time.sleep(0.002)

    @contextlib.contextmanager
    def stopped(self):
        """The candidate process (and anything it started) frozen for the block."""
        if self.poll() is not None:
            yield
            return
        self._signal_tree(signal.SIGSTOP)
        self._wait_stopped()
        try:
            yield
        finally:
            self._signal_tree(signal.SIGCONT)

    def close(self):
        """Asks the candidate process to quit, then kills it and every descendant but
        the spared ones."""
        self._signal_tree(signal.SIGCONT)
        self.quit()
        sandbox.kill_descendants(os.getpid(), spare=self.spare)
        self.close_pipes()
