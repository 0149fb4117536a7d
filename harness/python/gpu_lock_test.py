"""Tests of gpu_lock.GpuLock across real processes: shared sections overlap, an
exclusive one overlaps nothing, a waiting exclusive section is not starved by shared
ones that keep arriving, and it lets them pass only while a long section runs; and
eight processes mixing every kind of section at random, with no exclusive section
overlapping another.

    python3 harness/python/gpu_lock_test.py
"""

import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gpu_lock  # noqa: E402

WAIT_S = 20  # a section that never comes is a failure, not a hang
# flock(2)'s number, to see in /proc/<pid>/syscall that a process waits for a lock.
FLOCK = {"x86_64": 73, "aarch64": 32}.get(platform.machine())


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def lines(path):
    with open(path) as f:
        return f.read().split()


def blocked_in_flock(pid):
    """The file a process waits to lock in flock(2), "" when it is not waiting in
    flock, None where /proc does not tell."""
    try:
        with open(f"/proc/{pid}/syscall") as f:
            fields = f.read().split()
    except OSError:
        return None
    if FLOCK is None or not fields or not fields[0].isdigit():
        return None
    if int(fields[0]) != FLOCK or len(fields) < 2:
        return ""
    try:
        return os.readlink(f"/proc/{pid}/fd/{int(fields[1], 16)}")
    except (OSError, ValueError):
        return None


def hold(lock_path, log_path, name, exclusive, entered, release, long=False):
    """Enters a section, says so, and leaves when `release` is set."""
    lock = gpu_lock.GpuLock(lock_path)
    with (lock.exclusive() if exclusive else lock.shared(long=long)):
        log(log_path, f"{name}+")
        entered.set()
        release.wait(WAIT_S)
        log(log_path, f"{name}-")


def mix(lock_path, log_path, index, sections):
    """`sections` random sections, each logged with its kind and monotonic times."""
    import random

    rng = random.Random(index)
    lock = gpu_lock.GpuLock(lock_path)
    for _ in range(sections):
        kind = rng.choice(["exclusive", "shared", "shared", "long"])
        section = lock.exclusive() if kind == "exclusive" else lock.shared(long=kind == "long")
        with section:
            start = time.monotonic_ns()
            time.sleep(rng.uniform(0.0005, 0.004))
            end = time.monotonic_ns()
        log(log_path, f"{kind},{index},{start},{end}")


class GpuLockTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.lock = os.path.join(self.dir, "gpu.lock")
        self.log = os.path.join(self.dir, "log")
        open(self.log, "w").close()
        self.procs = []
        self.entered = []  # (process, its event set once inside its section)

    def tearDown(self):
        for p in self.procs:
            p.join(WAIT_S)
            if p.is_alive():
                p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, name, exclusive, long=False):
        ctx = multiprocessing.get_context("fork")
        entered, release = ctx.Event(), ctx.Event()
        p = ctx.Process(target=hold, args=(self.lock, self.log, name, exclusive, entered, release, long))
        p.start()
        self.procs.append(p)
        self.entered.append((p, entered))
        return entered, release

    def settle(self, on=None):
        """Waits until every started process that has not entered its section is
        blocked in flock(2) (with `on`, on that file), so that processes reach the lock
        in the order they were started however loaded the machine is (a fixed pause was
        not enough under a full test run on two cores). Where /proc does not say,
        pauses instead."""
        deadline = time.monotonic() + WAIT_S
        for p, entered in self.entered:
            while not entered.is_set() and time.monotonic() < deadline:
                target = blocked_in_flock(p.pid)
                if target is None:
                    time.sleep(0.3)
                    break
                if target and (on is None or target == on):
                    break
                time.sleep(0.01)

    def test_shared_sections_overlap(self):
        a_in, a_out = self.start("A", exclusive=False)
        self.assertTrue(a_in.wait(WAIT_S))
        b_in, b_out = self.start("B", exclusive=False)
        self.assertTrue(b_in.wait(WAIT_S), "a second shared section waited for the first")
        a_out.set()
        b_out.set()

    def test_exclusive_excludes_shared(self):
        w_in, w_out = self.start("W", exclusive=True)
        self.assertTrue(w_in.wait(WAIT_S))
        r_in, r_out = self.start("R", exclusive=False)
        self.settle()
        self.assertFalse(r_in.is_set(), "a shared section entered during an exclusive one")
        w_out.set()
        self.assertTrue(r_in.wait(WAIT_S))
        r_out.set()
        for p in self.procs:
            p.join(WAIT_S)
        self.assertEqual(lines(self.log), ["W+", "W-", "R+", "R-"])

    def test_waiting_exclusive_goes_before_later_shared(self):
        a_in, a_out = self.start("A", exclusive=False)
        self.assertTrue(a_in.wait(WAIT_S))
        w_in, w_out = self.start("W", exclusive=True)
        self.settle()
        c_in, c_out = self.start("C", exclusive=False)
        self.settle()
        self.assertFalse(w_in.is_set() or c_in.is_set())
        a_out.set()
        self.assertTrue(w_in.wait(WAIT_S))
        self.assertFalse(c_in.is_set(), "a later shared section overtook the waiting exclusive one")
        w_out.set()
        self.assertTrue(c_in.wait(WAIT_S))
        c_out.set()
        for p in self.procs:
            p.join(WAIT_S)
        self.assertEqual(lines(self.log), ["A+", "A-", "W+", "W-", "C+", "C-"])

    def test_waiting_timers_run_back_to_back(self):
        # The GPU drains once for both, not once each: no shared section between them.
        a_in, a_out = self.start("A", exclusive=False)
        self.assertTrue(a_in.wait(WAIT_S))
        w1_in, w1_out = self.start("W1", exclusive=True)
        w2_in, w2_out = self.start("W2", exclusive=True)
        self.settle()
        c_in, c_out = self.start("C", exclusive=False)
        self.settle()
        a_out.set()
        waiting = [(w1_in, w1_out), (w2_in, w2_out)]
        deadline = time.monotonic() + WAIT_S
        while waiting and time.monotonic() < deadline:  # either timer may go first
            for pair in list(waiting):
                if pair[0].is_set():
                    pair[1].set()
                    waiting.remove(pair)
            time.sleep(0.01)
        self.assertEqual(waiting, [], "a waiting timer never entered")
        self.assertTrue(c_in.wait(WAIT_S))
        c_out.set()
        for p in self.procs:
            p.join(WAIT_S)
        log = lines(self.log)
        self.assertEqual(log[:2], ["A+", "A-"])
        self.assertEqual(sorted(log[2:6]), ["W1+", "W1-", "W2+", "W2-"], log)
        self.assertEqual(log[6:], ["C+", "C-"])

    def test_waiting_exclusive_lets_shared_pass_a_long_section(self):
        # A compile (long) holds the GPU for up to minutes: the timer cannot go before
        # it ends anyway, so others' shared work goes on meanwhile instead of queueing.
        l_in, l_out = self.start("L", exclusive=False, long=True)
        self.assertTrue(l_in.wait(WAIT_S))
        w_in, w_out = self.start("W", exclusive=True)
        self.settle()
        c_in, c_out = self.start("C", exclusive=False)
        self.assertTrue(c_in.wait(WAIT_S), "a shared section queued behind a timer that waits for a long one")
        self.assertFalse(w_in.is_set())
        l_out.set()
        self.settle(on=os.path.realpath(self.lock))  # the timer announced, waiting for C
        self.assertFalse(w_in.is_set(), "the timer entered beside a shared section")
        d_in, d_out = self.start("D", exclusive=False)
        self.settle()
        self.assertFalse(d_in.is_set(), "with no long section left, a later shared section overtook the timer")
        c_out.set()
        self.assertTrue(w_in.wait(WAIT_S))
        w_out.set()
        self.assertTrue(d_in.wait(WAIT_S))
        d_out.set()
        for p in self.procs:
            p.join(WAIT_S)
        log = lines(self.log)
        self.assertEqual(log[:2], ["L+", "C+"])
        self.assertLess(log.index("C-"), log.index("W+"))
        self.assertEqual(log[log.index("W+"):], ["W+", "W-", "D+", "D-"])

    def test_long_section_waits_for_a_timer_inside(self):
        w_in, w_out = self.start("W", exclusive=True)
        self.assertTrue(w_in.wait(WAIT_S))
        l_in, l_out = self.start("L", exclusive=False, long=True)
        self.settle()
        self.assertFalse(l_in.is_set(), "a long section entered during an exclusive one")
        w_out.set()
        self.assertTrue(l_in.wait(WAIT_S))
        l_out.set()
        for p in self.procs:
            p.join(WAIT_S)
        self.assertEqual(lines(self.log), ["W+", "W-", "L+", "L-"])

    def test_nesting(self):
        lock = gpu_lock.GpuLock(self.lock)
        with lock.exclusive():
            with lock.shared():  # inside an exclusive section: already covered
                pass
        with lock.shared():
            with self.assertRaises(RuntimeError):
                with lock.exclusive():
                    pass
        with lock.exclusive():  # everything was released
            time.sleep(0.01)
        self.assertGreater(lock.seconds["gpu_exclusive_held"], 0.0)
        self.assertGreater(lock.seconds["gpu_shared_held"], 0.0)

    def test_many_processes_no_exclusive_section_overlaps_another(self):
        ctx = multiprocessing.get_context("fork")
        procs = [ctx.Process(target=mix, args=(self.lock, self.log, i, 25)) for i in range(8)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(4 * WAIT_S)
            self.assertEqual(p.exitcode, 0)
        sections = [line.split(",") for line in lines(self.log)]
        self.assertEqual(len(sections), 8 * 25)
        spans = [(kind, int(start), int(end)) for kind, _, start, end in sections]
        exclusive = [s for s in spans if s[0] == "exclusive"]
        self.assertTrue(exclusive)
        for a in exclusive:
            for b in spans:
                if b is not a:
                    self.assertFalse(a[1] < b[2] and b[1] < a[2], f"{a} overlaps {b}")

    def test_without_a_path_sections_are_free(self):
        lock = gpu_lock.GpuLock("")
        with lock.exclusive():
            with lock.shared():
                pass
        self.assertFalse(os.path.exists(self.lock))


if __name__ == "__main__":
    unittest.main()
