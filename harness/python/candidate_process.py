"""The candidate's side of an evaluation: runs in a process forked from the judge
(worker.py) before the judge reads its request, so it never holds the request, the
reference outputs or the result's token. It loads the candidate and nothing the judge
trusts: the ground truth, the baselines and the reference are timed by the yardstick
process (yardstick_process.py), which never imports the candidate.

It speaks JSON lines (child_process.py). The judge's first message says what to load;
later ones name an inputs file (torch.save of CPU tensors) to call the entry point on,
or the draws of a performance case to time it on; replies say what happened and, for
calls, name an outputs file with CPU copies of the outputs and of every argument after
the call. The judge compares; nothing here decides a verdict.

    {"op": "start", "candidate": ..., "entry_point": ..., "device": "cpu"|"gpu",
     "dir": private folder, "triton_cache_dir": shared cache or "",
     "read_only": [argument indices the call must not write]}
    {"op": "read", "inputs": path}            one call's inputs
    {"op": "read", "draws": path}             a performance case's draws
    {"op": "call"}
    {"op": "stage", "flush_l2": bool, "seed": int, "slack_cycles": int (the yardstick's)}
    {"op": "warmup", "warmup_ms": int, "repetitions": int}
    {"op": "round", "calls": int, "last": bool}
    {"op": "sanity"}
    {"op": "profile"}
    {"op": "collect"}
    {"op": "write", "outputs": path}
    {"op": "quit"}

File work has ops of its own (read, write), so that the judge holds the GPU lock
(gpu_lock.py) only for the ops that use the GPU. A correctness call is read, call
(outputs copied to host memory), write. A performance case is read (the draws), stage
(draws on the device), warmup, rounds (timed, alternating with the yardstick's),
sanity, collect (the outputs of the pure calls, one per draw: timed_calls.py), write,
profile.

After the import and after every call and round, the process-wide switches of torch
must be as they were before the import (process_state.py; else REJECTED_BY_CHECK
global_state) and the functions the harness relies on unreplaced (harness_tampering).
"""

import os

import verdicts
from failures import EvaluationFailure, classify_call_exception, rejected


class Session:
    def __init__(self, start):
        import torch

        import launch_guard
        import process_state
        import sandbox
        import task_files

        self.device = start["device"]
        self.dev = "cuda" if self.device == "gpu" else "cpu"
        self.read_only = [int(i) for i in start.get("read_only", [])]
        if self.device == "gpu":
            # The GPU context exists before the confinement: the driver's set-up writes
            # where the candidate may not.
            torch.cuda.init()
            torch.empty(1, device="cuda")
        # A shared compile cache (trusted runs only) is written too.
        writable = [start["dir"]] + ([start["triton_cache_dir"]] if start.get("triton_cache_dir") else [])
        self.isolation = sandbox.isolate_candidate(writable=writable)
        import triton  # noqa: F401 - after TRITON_INTERPRET is settled

        self.guard = launch_guard.LaunchGuard()
        self.guard.install()
        self.bindings = launch_guard.Bindings()
        self.switches = process_state.snapshot()
        self.torch = torch
        # What read() loaded and write() saves: each op takes its share once.
        self.host_inputs = self.host_draws = self.host_outputs = None
        self.timed = None
        module = task_files.load_module(start["candidate"], "tb_candidate")
        self.fn = task_files.entry_point(module, start["entry_point"], start["candidate"])
        if self.device == "cpu":
            import compiler_rules

            # What the interpreter lets through and a GPU's compile would refuse.
            compiler_rules.check_module(module, start["candidate"])
        self._check_state("importing the candidate")

    def _check_state(self, when):
        import process_state

        changed = self.bindings.changed()
        if changed:
            raise rejected(verdicts.HARNESS_TAMPERING,
                           f"{when} replaced function(s) the harness relies on: {', '.join(changed)}")
        flipped = process_state.changed(self.switches)
        if flipped:
            raise rejected(verdicts.GLOBAL_STATE, f"{when} left process-wide switch(es) changed: {'; '.join(flipped)}")

    def read(self, msg):
        """Reads one call's inputs, or a performance case's draws, into host memory."""
        load = self.torch.load
        if msg.get("draws"):
            self.host_draws = load(msg["draws"], weights_only=True)
        else:
            self.host_inputs = load(msg["inputs"], weights_only=True)
        return {}

    def _take(self, name, missing):
        """Returns the host data in attribute `name` and clears it (GBs at performance
        sizes: never kept past its op); HARNESS_ERROR `missing` where there is none."""
        data = getattr(self, name)
        setattr(self, name, None)
        if data is None:
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"candidate process: {missing}")
        return data

    def _poison(self, args):
        """On a GPU, leaves NaN in the caching allocator's free blocks, so that a
        torch.empty that reuses them shows garbage, not a previous result."""
        if self.device != "gpu":
            return
        nbytes = sum(a.numel() * a.element_size() for a in args if isinstance(a, self.torch.Tensor))
        poison = self.torch.empty(2 * nbytes // 4 + (1 << 18), dtype=self.torch.float32, device="cuda")
        poison.fill_(float("nan"))
        del poison

    def _synchronize(self):
        if self.device == "gpu":
            self.torch.cuda.synchronize()  # every stream of the device

    def _failure(self, e, what):
        """The EvaluationFailure for an exception the candidate's code raised."""
        import task_files

        if isinstance(e, EvaluationFailure):
            return e
        kind = classify_call_exception(e) if isinstance(e, Exception) else verdicts.RUNTIME_ERROR
        return EvaluationFailure(kind, f"{what} raised {type(e).__name__}: {e}\n{task_files.last_frames(e)}")

    def _aliases(self, outputs, args):
        for out in outputs:
            ptr = out.untyped_storage().data_ptr()
            for i in self.read_only:
                a = args[i]
                if isinstance(a, self.torch.Tensor) and a.numel() and out.numel() and \
                        a.untyped_storage().data_ptr() == ptr:
                    return i
        return None

    def write(self, msg):
        """Saves the last call's (or collect's) host copies for the judge."""
        self.torch.save(self._take("host_outputs", "nothing to write"), msg["outputs"])
        return {}

    def call(self, msg):
        import timed_calls

        torch = self.torch
        args = self._device_args(self._take("host_inputs", "no inputs read before the call"))
        self._poison(args)
        try:
            ret, launches = self.guard.call(self.fn, args, self.read_only, track=True)
            self._synchronize()
        except BaseException as e:  # noqa: BLE001 - SystemExit from a candidate is a failure too
            if isinstance(e, KeyboardInterrupt):
                raise
            raise self._failure(e, "the entry point")
        self._check_state("the call")
        outputs = timed_calls.as_outputs(ret)
        written = [i for i in range(len(args)) if i not in self.read_only]
        reply = {
            "launches": launches,
            "output_devices": [o.device.type for o in outputs],
            "alias": self._aliases(outputs, args),
            # Outputs (returned, then written arguments) no Triton kernel produced.
            "not_from_triton": [i for i, t in enumerate(outputs + [args[i] for i in written
                                                                   if isinstance(args[i], torch.Tensor)])
                                if t.numel() and not self.guard.from_triton(t)],
            "laundered": [i for i, t in enumerate(outputs + [args[i] for i in written
                                                             if isinstance(args[i], torch.Tensor)])
                          if t.numel() and self.guard.laundered(t)],
        }
        self.host_outputs = {
            "outputs": [o.detach().cpu().clone() for o in outputs],
            "args": [a.detach().cpu().clone() if isinstance(a, torch.Tensor) else None for a in args],
        }
        return reply

    def _device_args(self, host_args):
        import layout

        # torch.save keeps a view's whole storage; the copy keeps its strides.
        return layout.device_copies(host_args, self.dev)

    def release_gpu_memory(self):
        """Returns cached GPU memory once an op's tensors are gone: evaluations sharing
        the GPU (evaluate --jobs) would otherwise run out of memory beside this cache."""
        if self.device == "gpu":
            self.torch.cuda.empty_cache()

    def stage(self, msg):
        """Puts a performance case's draws (read by read()) on the device."""
        import timed_calls

        self.timed = timed_calls.TimedCalls({"candidate": self.fn}, self._take("host_draws", "stage without draws"),
                                            self.device, self.read_only, msg.get("flush_l2", True),
                                            int(msg.get("seed", 0)), slack_cycles=msg.get("slack_cycles"))
        return {}

    def _timed(self, what, work):
        if self.timed is None:
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"candidate process: {what} without stage")
        try:
            out = work()
        except BaseException as e:  # noqa: BLE001
            if isinstance(e, KeyboardInterrupt):
                raise
            self.timed = None
            raise self._failure(e, f"timing ({what})")
        self._check_state(f"timing ({what})")
        return out

    def warmup(self, msg):
        plan = self._timed("warm-up", lambda: self.timed.warm_up(int(msg["warmup_ms"]), int(msg["repetitions"])))
        return {"plan": plan}

    def round(self, msg):
        times = self._timed("a round", lambda: self.timed.round({"candidate": int(msg["calls"])},
                                                                bool(msg.get("last"))))
        return {"times": times}

    def sanity(self, msg):
        """The candidate's wall excess (timing.synced_wall_excess_ms), GPU only."""
        if self.device != "gpu":
            return {"wall_excess_ms": 0.0}
        return {"wall_excess_ms": self._timed("the sanity check", lambda: self.timed.wall_excess_ms("candidate"))}

    def collect(self, msg):
        """Host copies of the pure calls' outputs, one list per draw, for write(); frees
        the case's tensors."""
        outputs = self._timed("collecting outputs", lambda: self.timed.collect())["candidate"]
        self.timed.release()
        self.timed = None
        self.host_outputs = {"draws": outputs}
        return {}

    def profile(self, msg):
        """Where one call's GPU time went (kernel_share.py), on a draw of the staged case."""
        import kernel_share

        if self.device != "gpu":
            return {"share": None, "reason": "no GPU: the Triton interpreter runs no GPU kernels to profile"}
        if self.timed is None:
            raise EvaluationFailure(verdicts.HARNESS_ERROR, "candidate process: profile without stage")
        try:
            share, reason = kernel_share.profile(self.fn, self.timed.inputs(0), self.guard.compiled_names)
        except BaseException as e:  # noqa: BLE001
            if isinstance(e, KeyboardInterrupt):
                raise
            raise self._failure(e, "the profiled call")
        self._check_state("the profiled call")
        return {"share": share, "reason": reason}


def serve(cmd_fd, reply_fd):
    """The candidate process's main loop; never returns."""
    import child_process

    state = {}

    def handle(msg):
        op = msg.get("op")
        if op == "start":
            os.chdir(msg["dir"])
            for name in ("HOME", "TMPDIR"):
                os.environ[name] = msg["dir"]
            # A private cache, unless the run measures trusted kernels only.
            os.environ["TRITON_CACHE_DIR"] = msg.get("triton_cache_dir") or os.path.join(msg["dir"], "triton-cache")
            os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(msg["dir"], "inductor-cache")
            for name in list(os.environ):
                if name.startswith("TB_"):
                    del os.environ[name]
            if msg["device"] == "cpu":
                os.environ["TRITON_INTERPRET"] = "1"
            if msg.get("upstream"):  # a task imported from GEAK-eval: upstream_candidate.py
                import upstream_candidate

                state["session"] = upstream_candidate.CandidateSession(msg)
            else:
                state["session"] = Session(msg)
            return {"isolation": state["session"].isolation}
        session = state.get("session")
        if session is None or op not in getattr(session, "OPS", ("read", "call", "stage", "warmup", "round", "sanity",
                                                                  "collect", "write", "profile")):
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"candidate process: unexpected op {op!r}")
        reply = getattr(session, op)(msg)
        # The op's temporaries are freed by now.
        if op in ("call", "collect", "profile"):
            session.release_gpu_memory()
        return reply

    child_process.serve(cmd_fd, reply_fd, handle)
