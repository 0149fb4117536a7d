"""The judge's handle on the candidate process (candidate_process.py).

The candidate process is forked as soon as the judge has imported torch, before the
judge reads its request and before anything touches the GPU: it never holds the
request, the expected outputs or the result's token, and it starts its own GPU context.
While waiting for a reply the judge watches it: a candidate process that dies becomes
CRASH (with its signal or exit code), more than `PROCESS_LIMIT` descendants becomes
REJECTED_BY_CHECK process_limit, and any process still alive after a call returned
(a background job, a setsid() escape, which the judge as subreaper still sees) becomes
REJECTED_BY_CHECK leftover_process. Every such process is killed.
"""

import json
import os
import select
import signal
import time

import sandbox
from failures import EvaluationFailure, rejected

# Descendants the candidate may have at once (Triton runs ptxas and a few helpers).
PROCESS_LIMIT = 32


def describe_status(status):
    if status is None or status < 0:
        return "ended (its exit status was collected elsewhere)"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "unknown"
        return f"was killed by signal {sig} ({name})"
    return f"exited with code {os.WEXITSTATUS(status)}"


class CandidateProcess:
    def __init__(self):
        cmd_r, cmd_w = os.pipe()
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            sandbox.die_with_parent()
            os.close(cmd_w)
            os.close(reply_r)
            try:
                import candidate_process

                candidate_process.serve(cmd_r, reply_w)
            finally:
                os._exit(70)
        os.close(cmd_r)
        os.close(reply_w)
        self.pid = pid
        self.cmd = os.fdopen(cmd_w, "w", buffering=1)
        self.reply_fd = reply_r
        self.buffer = b""
        self.status = None

    def request(self, msg):
        """Sends `msg`, waits for the reply; raises EvaluationFailure for a candidate
        failure, a dead candidate process or a broken limit."""
        if self.status is not None:
            raise EvaluationFailure("CRASH", f"the candidate process {describe_status(self.status)}")
        try:
            self.cmd.write(json.dumps(msg) + "\n")
            self.cmd.flush()
        except BrokenPipeError:
            pass
        reply = self._receive()
        self._check_leftovers()
        if not reply.get("ok"):
            raise EvaluationFailure(reply.get("kind", "HARNESS_ERROR"), reply.get("message", ""))
        return reply

    def _receive(self):
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    return json.loads(line)
                except ValueError:
                    raise EvaluationFailure("CRASH", "the candidate process wrote an unreadable reply")
            ready, _, _ = select.select([self.reply_fd], [], [], 0.25)
            closed = False
            if ready:
                chunk = os.read(self.reply_fd, 1 << 16)
                if chunk:
                    self.buffer += chunk
                    continue
                closed = True
            self._poll()
            if self.status is not None:
                # Dead with no reply (a leftover process may still hold the pipe open).
                raise EvaluationFailure("CRASH", f"the candidate process {describe_status(self.status)}")
            if closed:
                time.sleep(0.05)
            count = len([p for p in sandbox.descendants(os.getpid()) if p != self.pid])
            if count > PROCESS_LIMIT:
                sandbox.kill_descendants(os.getpid())
                raise rejected("process_limit", f"the candidate started more than {PROCESS_LIMIT} processes")

    def _poll(self):
        """Exit status of the candidate process once it has ended, else None."""
        if self.status is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    self.status = status
            except ChildProcessError:
                self.status = -1
        return self.status

    def _check_leftovers(self):
        left = [p for p in sandbox.descendants(os.getpid()) if p != self.pid]
        if not left:
            return
        names = []
        for pid in left[:5]:
            try:
                with open(f"/proc/{pid}/comm") as f:
                    names.append(f"{pid} ({f.read().strip()})")
            except OSError:
                names.append(str(pid))
        sandbox.kill_descendants(os.getpid(), keep={self.pid})
        raise rejected("leftover_process",
                       f"{len(left)} process(es) started by the candidate were still running after the call: "
                       f"{', '.join(names)}")

    def close(self):
        """Asks the candidate process to quit, then kills it and every descendant."""
        if self.status is None:
            try:
                self.cmd.write('{"op": "quit"}\n')
                self.cmd.flush()
            except (BrokenPipeError, ValueError):
                pass
            for _ in range(40):
                if self._poll() is not None:
                    break
                time.sleep(0.05)
        sandbox.kill_descendants(os.getpid())
        for f in (self.cmd,):
            try:
                f.close()
            except (BrokenPipeError, OSError):
                pass
        os.close(self.reply_fd)
