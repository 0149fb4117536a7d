"""Tests of gpu_lock.GpuLock across real processes: shared sections overlap, an
exclusive one overlaps nothing, and a waiting exclusive section is not starved by
shared ones that keep arriving.

    python3 harness/python/gpu_lock_test.py
"""

import multiprocessing
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gpu_lock  # noqa: E402

WAIT_S = 20  # a section that never comes is a failure, not a hang


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def lines(path):
    with open(path) as f:
        return f.read().split()


def hold(lock_path, log_path, name, exclusive, entered, release):
    """Enters a section, says so, and leaves when `release` is set."""
    lock = gpu_lock.GpuLock(lock_path)
    with (lock.exclusive() if exclusive else lock.shared()):
        log(log_path, f"{name}+")
        entered.set()
        release.wait(WAIT_S)
        log(log_path, f"{name}-")


class GpuLockTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.lock = os.path.join(self.dir, "gpu.lock")
        self.log = os.path.join(self.dir, "log")
        open(self.log, "w").close()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            p.join(WAIT_S)
            if p.is_alive():
                p.kill()

    def start(self, name, exclusive):
        ctx = multiprocessing.get_context("fork")
        entered, release = ctx.Event(), ctx.Event()
        p = ctx.Process(target=hold, args=(self.lock, self.log, name, exclusive, entered, release))
        p.start()
        self.procs.append(p)
        return entered, release

    def settle(self):
        time.sleep(0.3)  # lets a blocked process reach its flock; order holds without it

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

    def test_without_a_path_sections_are_free(self):
        lock = gpu_lock.GpuLock("")
        with lock.exclusive():
            with lock.shared():
                pass
        self.assertFalse(os.path.exists(self.lock))


if __name__ == "__main__":
    unittest.main()
