"""A process forked from the judge that serves requests as JSON lines over two pipes:
the judge's handle (`ChildProcess`) and the child's loop (`serve`). The candidate
process (candidate_process.py, watched by candidate_client.py) and the yardstick
process (yardstick_process.py) are both such children.

Each request is one JSON object with an "op"; each reply is {"ok": true, ...} or
{"ok": false, "kind": <FailureKind name>, "message": ...}, which the handle raises as
EvaluationFailure. {"op": "quit"} ends the child.
"""

import json
import os
import select
import signal
import sys
import time

import verdicts
from failures import EvaluationFailure

# Pipe ends of every child forked so far, held by the judge: a later child closes
# them, so that only the judge can talk to each child and a child's end of file comes
# when the judge closes its end.
_JUDGE_ENDS = []


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


class ChildProcess:
    """Forks a child that runs `target(cmd_fd, reply_fd)` (which never returns)."""

    # How the failures of this child are named in messages.
    name = "the child process"

    def __init__(self, target):
        cmd_r, cmd_w = os.pipe()
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            import sandbox

            sandbox.die_with_parent()  # the judge killed outright takes its children along
            os.close(cmd_w)
            os.close(reply_r)
            for fd in _JUDGE_ENDS:
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                target(cmd_r, reply_w)
            finally:
                os._exit(70)
        os.close(cmd_r)
        os.close(reply_w)
        _JUDGE_ENDS.extend([cmd_w, reply_r])
        self.fds = [cmd_w, reply_r]
        self.pid = pid
        self.cmd = os.fdopen(cmd_w, "w", buffering=1)
        self.reply_fd = reply_r
        self.buffer = b""
        self.status = None

    def request(self, msg):
        """Sends `msg`, waits for the reply; raises EvaluationFailure for a failure the
        child reports or a dead child."""
        self.send(msg)
        return self.reply()

    def send(self, msg):
        """Sends `msg` without waiting: the judge goes on with its own work, and
        `reply()` collects the answer. One message in flight at a time."""
        if self.status is not None:
            raise EvaluationFailure(verdicts.CRASH, f"{self.name} {describe_status(self.status)}")
        try:
            self.cmd.write(json.dumps(msg) + "\n")
            self.cmd.flush()
        except BrokenPipeError:
            pass

    def reply(self):
        """Waits for the answer to the message sent last (see request)."""
        reply = self._receive()
        self.after_reply()
        if not reply.get("ok"):
            raise EvaluationFailure(reply.get("kind", verdicts.HARNESS_ERROR), reply.get("message", ""))
        return reply

    def after_reply(self):
        """Checks made after every reply (none here)."""

    def while_waiting(self):
        """Checks made every quarter second while a reply is awaited (none here)."""

    def _receive(self):
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    return json.loads(line)
                except ValueError:
                    raise EvaluationFailure(verdicts.CRASH, f"{self.name} wrote an unreadable reply")
            ready, _, _ = select.select([self.reply_fd], [], [], 0.25)
            closed = False
            if ready:
                chunk = os.read(self.reply_fd, 1 << 16)
                if chunk:
                    self.buffer += chunk
                    continue
                closed = True
            self.poll()
            if self.status is not None:
                # Dead with no reply (a leftover process may still hold the pipe open).
                raise EvaluationFailure(verdicts.CRASH, f"{self.name} {describe_status(self.status)}")
            if closed:
                time.sleep(0.05)
            self.while_waiting()

    def poll(self):
        """Exit status of the child once it has ended, else None."""
        if self.status is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    self.status = status
            except ChildProcessError:
                self.status = -1
        return self.status

    def quit(self, wait_s=2.0):
        """Asks the child to quit and waits up to `wait_s` for it to end."""
        if self.status is None:
            try:
                self.cmd.write('{"op": "quit"}\n')
                self.cmd.flush()
            except (BrokenPipeError, ValueError):
                pass
            deadline = time.monotonic() + wait_s
            while self.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)

    def close_pipes(self):
        try:
            self.cmd.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            os.close(self.reply_fd)
        except OSError:
            pass
        for fd in self.fds:
            if fd in _JUDGE_ENDS:
                _JUDGE_ENDS.remove(fd)


def serve(cmd_fd, reply_fd, handle):
    """The child's loop: each request line goes to `handle(msg)`, which returns the
    reply's fields or raises EvaluationFailure; never returns."""
    commands = os.fdopen(cmd_fd, "r")
    replies = os.fdopen(reply_fd, "w", buffering=1)

    def send(obj):
        replies.write(json.dumps(obj) + "\n")
        replies.flush()

    for line in commands:
        msg = json.loads(line)
        if msg.get("op") == "quit":
            break
        try:
            send({"ok": True, **handle(msg)})
        except EvaluationFailure as f:
            send({"ok": False, "kind": f.kind, "message": f.message})
        except Exception as e:  # noqa: BLE001 - reported to the judge, not hidden
            import traceback

            send({"ok": False, "kind": verdicts.HARNESS_ERROR,
                  "message": f"{msg.get('op')}: {e!r}\n{traceback.format_exc()[-2000:]}"})
        sys.stdout.flush()
        sys.stderr.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
