"""The yardstick's process: times what a candidate is measured against (the task's
ground truth, the PyTorch baselines of its baseline(), and optionally its reference())
at each performance case. Forked from the judge like the candidate process, it never
imports the candidate, so nothing a candidate does to its own process (wrapping
torch.empty or an allocator, flipping TF32, replacing a library function, planting a
compiled kernel in a cache it reads) reaches the yardstick's numbers. While it reads
its inputs and while it times, the judge keeps the candidate process stopped
(candidate_client.CandidateProcess.stopped).

The same timed_calls.TimedCalls measures both sides; the judge alternates the two
processes in rounds (perf_case.py). Its compile cache is fresh for every performance
case (made while the candidate is stopped) unless the run shares a trusted one.

    {"op": "start", "task_dir": ..., "entry_point": ..., "device": "cpu"|"gpu",
     "dir": private folder, "triton_cache_dir": shared trusted cache or "",
     "baselines": [names], "time_reference": bool, "read_only": [indices]}
    {"op": "read", "draws": path}
    {"op": "stage", "flush_l2": bool, "seed": int}     compiles the baselines (shared GPU lock)
    {"op": "warmup", "warmup_ms": int, "repetitions": int}
    {"op": "round", "calls": {name: n}, "last": bool}
    {"op": "sanity"}                                    ground truth's wall excess, copy bandwidth
    {"op": "collect"} then {"op": "write", "outputs": path}   the baselines' pure-call outputs
    {"op": "quit"}
"""

import contextlib
import os
import signal
import tempfile
import time

import verdicts
from failures import EvaluationFailure, classify_call_exception


class FirstCallTimeout(BaseException):
    """A baseline's first call ran past its limit. A BaseException, so that torch's
    own `except Exception` fallbacks inside the compile cannot swallow it."""


@contextlib.contextmanager
def deadline(seconds):
    """Raises FirstCallTimeout in the block once `seconds` of wall time pass. Inductor
    compiles in this thread (baselines.build sets one compile thread), which a signal
    interrupts between Python bytecodes. Its helpers die first: interrupting
    subprocess.run kills only the child (g++), which would orphan the grandchild
    (cc1plus) to the judge."""
    import sandbox

    def expire(signum, frame):
        sandbox.kill_descendants(os.getpid())
        raise FirstCallTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Session:
    def __init__(self, start):
        import torch

        import process_state
        import task_files

        process_state.set_defaults()
        self.torch = torch
        self.device = start["device"]
        self.dir = start["dir"]
        self.trusted_cache = start.get("triton_cache_dir", "")
        self.read_only = [int(i) for i in start.get("read_only", [])]
        import triton  # noqa: F401 - after TRITON_INTERPRET is settled

        kernel_path = os.path.join(start["task_dir"], "kernel.py")
        module = task_files.load_module(kernel_path, "tb_ground_truth")
        self.fns = {"ground_truth": task_files.entry_point(module, start["entry_point"], kernel_path)}
        self.baselines = {}
        self.baselines_timed_out = {}  # name -> its failure, for every later case
        wanted = list(start.get("baselines", []))
        if wanted or start.get("time_reference"):
            reference_path = os.path.join(start["task_dir"], "reference.py")
            reference = task_files.load_module(reference_path, "tb_reference")
            if start.get("time_reference"):
                self.fns["reference"] = reference.reference
            if wanted:
                import baselines

                try:
                    self.baselines = baselines.build(reference, wanted)
                except ValueError as e:
                    raise EvaluationFailure(verdicts.HARNESS_ERROR, f"{reference_path}: {e}")
        self.host_draws = self.host_outputs = None
        self.timed = None

    def _fresh_caches(self):
        """New compile-cache folders for this case: a file planted in an earlier one
        (the candidate runs between cases) is never read."""
        if self.trusted_cache:
            return
        folder = tempfile.mkdtemp(prefix="cache-", dir=self.dir)
        os.environ["TRITON_CACHE_DIR"] = os.path.join(folder, "triton")
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(folder, "inductor")

    def read(self, msg):
        self.host_draws = self.torch.load(msg["draws"], weights_only=True)
        return {}

    def stage(self, msg):
        """Puts the draws on the device and makes each baseline's first call (its
        compile) on copies of the first, in this shared section rather than the
        exclusive timed one; one that fails is left out of the timing (the baseline's
        failure, not the candidate's, nor the ground truth's)."""
        import timed_calls

        self._fresh_caches()
        draws, self.host_draws = self.host_draws, None
        if draws is None:
            raise EvaluationFailure(verdicts.HARNESS_ERROR, "yardstick: stage without draws")
        first_call_ms, failed = self._compile_baselines(draws[0])
        fns = dict(self.fns)
        fns.update({n: fn for n, fn in self.baselines.items() if n in first_call_ms})
        self.keep = [n for n in fns if n in self.baselines]
        self.timed = timed_calls.TimedCalls(fns, draws, self.device, self.read_only, msg.get("flush_l2", True),
                                            int(msg.get("seed", 0)), keep=self.keep)
        return {"baseline_first_call_ms": first_call_ms, "baseline_failures": failed,
                "slack_cycles": self.timed.slack_cycles}

    def _compile_baselines(self, host_args):
        import baselines
        import layout

        first_call_ms, failed = {}, {}
        dev = "cuda" if self.device == "gpu" else "cpu"
        for name, fn in self.baselines.items():
            if name in self.baselines_timed_out:
                failed[name] = self.baselines_timed_out[name]
                continue
            copies = layout.device_copies(host_args, dev)
            self._synchronize()
            start = time.perf_counter()
            try:
                with deadline(baselines.FIRST_CALL_LIMIT_S[name]):
                    fn(*copies)
                    self._synchronize()
            except FirstCallTimeout:
                self.baselines_timed_out[name] = failed[name] = {
                    "failure_kind": verdicts.TIMEOUT,
                    "message": f"its first call (the compile) ran past {baselines.FIRST_CALL_LIMIT_S[name]} s; "
                               "not tried again at later cases"}
                continue
            except Exception as e:  # noqa: BLE001 - the baseline's failure, recorded
                failed[name] = {"failure_kind": classify_call_exception(e),
                                "message": f"{type(e).__name__}: {str(e)[:2000]}"}
                self._recover()
                continue
            first_call_ms[name] = (time.perf_counter() - start) * 1e3
        return first_call_ms, failed

    def _recover(self):
        if self.device == "gpu":
            self.torch.cuda.empty_cache()

    def _synchronize(self):
        if self.device == "gpu":
            self.torch.cuda.synchronize()

    def _timed(self, what, work):
        if self.timed is None:
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"yardstick: {what} without stage")
        try:
            return work()
        except EvaluationFailure:
            raise
        except Exception as e:  # noqa: BLE001 - the task's own code failed
            import task_files

            self.timed = None
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"the yardstick's {what} raised {type(e).__name__}: {e}\n"
                                                            f"{task_files.last_frames(e)}")

    def warmup(self, msg):
        return {"plan": self._timed("warm-up", lambda: self.timed.warm_up(int(msg["warmup_ms"]),
                                                                           int(msg["repetitions"])))}

    def round(self, msg):
        calls = {n: int(c) for n, c in msg["calls"].items() if n in self.timed.fns}
        return {"times": self._timed("round", lambda: self.timed.round(calls, bool(msg.get("last"))))}

    def sanity(self, msg):
        import timing

        if self.device != "gpu":
            return {"wall_excess_ms": 0.0, "copy_gbps": 0.0}
        excess = self._timed("sanity check", lambda: self.timed.wall_excess_ms("ground_truth"))
        return {"wall_excess_ms": excess, "copy_gbps": timing.copy_bandwidth_gbps()}

    def collect(self, msg):
        kept = self._timed("collect", lambda: self.timed.collect())
        self.timed.release()
        self.timed = None
        self.host_outputs = {name: kept.get(name, []) for name in self.keep}
        self._recover()
        return {}

    def write(self, msg):
        outputs, self.host_outputs = self.host_outputs, None
        self.torch.save(outputs or {}, msg["outputs"])
        return {}


def serve(cmd_fd, reply_fd):
    """The yardstick process's main loop; never returns."""
    import child_process

    state = {}

    def handle(msg):
        op = msg.get("op")
        if op == "start":
            os.chdir(msg["dir"])
            for name in ("HOME", "TMPDIR"):
                os.environ[name] = msg["dir"]
            if msg.get("triton_cache_dir"):
                os.environ["TRITON_CACHE_DIR"] = msg["triton_cache_dir"]
                os.environ["TORCHINDUCTOR_CACHE_DIR"] = msg["triton_cache_dir"].rstrip("/") + "-inductor"
            if msg["device"] == "cpu":
                os.environ["TRITON_INTERPRET"] = "1"
            if msg.get("upstream"):  # a task imported from GEAK-eval: upstream_candidate.py
                import upstream_candidate

                state["session"] = upstream_candidate.GoldenSession(msg)
            else:
                state["session"] = Session(msg)
            return {}
        session = state.get("session")
        if session is None or op not in getattr(session, "OPS", ("read", "stage", "warmup", "round", "sanity",
                                                                  "collect", "write")):
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"yardstick: unexpected op {op!r}")
        return getattr(session, op)(msg)

    child_process.serve(cmd_fd, reply_fd, handle)
