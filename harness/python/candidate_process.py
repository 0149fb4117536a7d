"""The candidate's side of an evaluation: runs in a process forked from the judge
(worker.py) before the judge reads its request, so it never holds the request, the
reference outputs or the result's token.

It speaks JSON lines over two pipes. The judge's first message says what to load; each
later one names an inputs file (torch.save of CPU tensors) to call the entry point on,
or to time; the reply says what happened and, for calls, names an outputs file with
CPU copies of the outputs and of every argument after the call. The judge compares;
nothing here decides a verdict.

    {"op": "start", "candidate": ..., "entry_point": ..., "device": "cpu"|"gpu",
     "dir": private folder, "triton_cache_dir": shared cache or "", "baselines": [names],
     "ground_truth": kernel.py or "", "reference": reference.py or "",
     "read_only": [argument indices the call must not write]}
    {"op": "read", "inputs": path, "final_inputs": path or absent}
    {"op": "call"}
    {"op": "stage", "flush_l2": bool}
    {"op": "time", "warmup_ms": int, "repetitions": int, "time_reference": bool}
    {"op": "collect"}
    {"op": "write", "outputs": path}

File work has ops of its own (read, write), so that the judge holds the GPU lock
(gpu_lock.py) only for the ops that use the GPU: reading and writing GBs of tensors at
performance sizes takes seconds, and every other evaluation's timing would wait for it.
A correctness call is read, call (outputs copied to host memory), write. A performance
case is read (timing and final inputs), stage, time, collect, write, so that the judge
can hold the GPU to itself for the timed part alone: stage puts the timing inputs on
the device, time calls every function on them, then overwrites them in place (same
storage, new values, from final_inputs) for one last candidate call; collect copies
that call's outputs to host memory and write saves them for the judge: a candidate
that memoises by shape or data pointer returns stale outputs there.
    {"op": "quit"}
"""

import contextlib
import json
import os
import signal
import sys

from failures import EvaluationFailure, classify_call_exception


class FirstCallTimeout(BaseException):
    """A baseline's first call ran past its limit. A BaseException, so that torch's
    own `except Exception` fallbacks inside the compile cannot swallow it."""


@contextlib.contextmanager
def deadline(seconds):
    """Raises FirstCallTimeout in the block once `seconds` of wall time pass. Inductor
    compiles in this thread (baselines.build sets one compile thread), which a signal
    interrupts between Python bytecodes. Its helpers die first: interrupting
    subprocess.run kills only the child (g++), which orphans the grandchild (cc1plus) to
    the judge, which then rejects the whole task as leaving a process behind (seen on an
    H200: test_triton_swizzle2d's CPU-side graph compiling past 60 s)."""
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

        import launch_guard
        import sandbox
        import task_files

        self.device = start["device"]
        self.dev = "cuda" if self.device == "gpu" else "cpu"
        self.read_only = [int(i) for i in start.get("read_only", [])]
        self.isolation = sandbox.isolate_candidate()
        import triton  # noqa: F401 - after TRITON_INTERPRET is settled

        self.guard = launch_guard.LaunchGuard()
        self.guard.install()
        self.ground_truth = self.reference = None
        extra = []
        if start.get("ground_truth"):
            module = task_files.load_module(start["ground_truth"], "tb_ground_truth")
            self.ground_truth = task_files.entry_point(module, start["entry_point"], start["ground_truth"])
            # Its functions and kernels (not plain values, which a kernel may update).
            extra += [(module, name) for name, value in list(vars(module).items())
                      if not name.startswith("__") and callable(value)]
        self.baselines = {}
        self.timed_baselines = {}  # those that compiled for the staged case
        self.baselines_timed_out = {}  # name -> its failure, for every later case
        if start.get("reference"):
            module = task_files.load_module(start["reference"], "tb_reference")
            self.reference = module.reference
            if start.get("baselines"):
                import baselines

                try:
                    self.baselines = baselines.build(module, start["baselines"])
                except ValueError as e:
                    raise EvaluationFailure("HARNESS_ERROR", f"{start['reference']}: {e}")
        self.bindings = launch_guard.Bindings(extra)
        self.torch = torch
        # What read() loaded and write() saves: each op takes its share once.
        self.host_inputs = self.host_final = self.host_outputs = None
        module = task_files.load_module(start["candidate"], "tb_candidate")
        self.fn = task_files.entry_point(module, start["entry_point"], start["candidate"])
        if self.device == "cpu":
            import compiler_rules

            # What the interpreter lets through and a GPU's compile would refuse.
            compiler_rules.check_module(module, start["candidate"])
        self._check_bindings("importing the candidate")

    def _check_bindings(self, when):
        changed = self.bindings.changed()
        if changed:
            raise EvaluationFailure(
                "REJECTED_BY_CHECK:harness_tampering",
                f"{when} replaced function(s) the harness relies on: {', '.join(changed)}")

    def _device_args(self, host_args):
        import layout

        # torch.save keeps a view's whole storage; the copy keeps its strides.
        return layout.device_copies(host_args, self.dev)

    def read(self, msg):
        """Reads the next op's inputs (and a performance case's final inputs) into host
        memory."""
        load = self.torch.load
        self.host_inputs = load(msg["inputs"], weights_only=True)
        self.host_final = load(msg["final_inputs"], weights_only=True) if msg.get("final_inputs") else None
        return {}

    def _take(self, name, missing):
        """Returns the host data in attribute `name` and clears it (GBs at performance
        sizes: never kept past its op); HARNESS_ERROR `missing` where there is none."""
        data = getattr(self, name)
        setattr(self, name, None)
        if data is None:
            raise EvaluationFailure("HARNESS_ERROR", f"candidate process: {missing}")
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

    def _invoke(self, fn, args, track):
        try:
            ret, launches = self.guard.call(fn, args, self.read_only, track)
            self._synchronize()
        except BaseException as e:  # noqa: BLE001 - SystemExit from a candidate is a failure too
            if isinstance(e, KeyboardInterrupt):
                raise
            import task_files

            kind = classify_call_exception(e) if isinstance(e, Exception) else "RUNTIME_ERROR"
            raise EvaluationFailure(kind, f"the entry point raised {type(e).__name__}: {e}\n{task_files.last_frames(e)}")
        return ret, launches

    def _outputs(self, ret):
        torch = self.torch
        if ret is None:
            return []
        if isinstance(ret, torch.Tensor):
            return [ret]
        if isinstance(ret, (tuple, list)) and all(isinstance(v, torch.Tensor) for v in ret):
            return list(ret)
        raise EvaluationFailure(
            "WRONG_OUTPUT_STRUCTURE",
            f"the entry point returned {type(ret).__name__}; expected a tensor or a tuple of tensors")

    def _aliases(self, outputs, args):
        for out in outputs:
            ptr = out.untyped_storage().data_ptr()
            for i in self.read_only:
                a = args[i]
                if isinstance(a, self.torch.Tensor) and a.numel() and out.numel() and \
                        a.untyped_storage().data_ptr() == ptr:
                    return i
        return None

    def _to_host(self, outputs, args, baseline_outputs=None):
        """Host copies of what the judge gets back; write() saves them."""
        torch = self.torch
        self.host_outputs = {
            "outputs": [o.detach().cpu().clone() for o in outputs],
            "args": [a.detach().cpu().clone() if isinstance(a, torch.Tensor) else None for a in args],
            "baselines": {name: [o.detach().cpu().clone() for o in outs]
                          for name, outs in (baseline_outputs or {}).items()},
        }

    def write(self, msg):
        """Saves the last call's (or collect's) host copies for the judge."""
        self.torch.save(self._take("host_outputs", "nothing to write"), msg["outputs"])
        return {}

    def call(self, msg):
        args = self._device_args(self._take("host_inputs", "no inputs read before the call"))
        self._poison(args)
        ret, launches = self._invoke(self.fn, args, track=True)
        self._check_bindings("the call")
        outputs = self._outputs(ret)
        written = [i for i in range(len(args)) if i not in self.read_only]
        reply = {
            "launches": launches,
            "output_devices": [o.device.type for o in outputs],
            "alias": self._aliases(outputs, args),
            # Outputs (returned, then written arguments) no Triton kernel contributed to.
            "not_from_triton": [i for i, t in enumerate(outputs + [args[i] for i in written
                                                                   if isinstance(args[i], self.torch.Tensor)])
                                if t.numel() and not self.guard.from_triton(t)],
        }
        self._to_host(outputs, args)
        return reply

    def release_gpu_memory(self):
        """Returns cached GPU memory once an op's tensors are gone: evaluations sharing
        the GPU (evaluate --jobs) would otherwise run out of memory beside this cache."""
        if self.device == "gpu":
            self.torch.cuda.empty_cache()

    def stage(self, msg):
        """Puts a performance case's timing inputs (read by read()) on the device, so
        that the timed section that follows does no file work."""
        import timing

        final = self._take("host_final", "stage without final inputs read")
        self.staged = {"args": self._device_args(self._take("host_inputs", "stage without inputs read")),
                       # Copied into the timed inputs in place after timing.
                       "final": final,
                       "flush": timing.L2Flusher(msg.get("flush_l2", True))}
        self._synchronize()
        return self._compile_baselines(self.staged["args"])

    def _compile_baselines(self, args):
        """Calls each torch.compile baseline once on copies of the timing inputs: it
        compiles for this case's shapes here, in the shared section rather than in the
        exclusive timed one, and one that fails to compile is left out of the timing
        (it is the baseline's failure, not the candidate's)."""
        import time

        import baselines
        import layout

        first_call_ms, failed = {}, {}
        self.timed_baselines = {}
        for name, fn in self.baselines.items():
            if name in self.baselines_timed_out:
                failed[name] = self.baselines_timed_out[name]
                continue
            copies = layout.device_copies(args, self.dev)
            self._synchronize()
            start = time.perf_counter()
            try:
                with deadline(baselines.FIRST_CALL_LIMIT_S[name]):
                    fn(*copies)
                    self._synchronize()
            except FirstCallTimeout:
                self.baselines_timed_out[name] = failed[name] = {
                    "failure_kind": "TIMEOUT",
                    "message": f"its first call (the compile) ran past {baselines.FIRST_CALL_LIMIT_S[name]} s; "
                               "not tried again at later cases"}
                continue
            except Exception as e:
                kind = classify_call_exception(e)
                if kind in ("CRASH", "OUT_OF_MEMORY"):
                    # The process's GPU state is suspect: the evaluation fails.
                    raise EvaluationFailure(kind, f"baseline {name} raised {type(e).__name__}: {e}") from e
                failed[name] = {"failure_kind": kind, "message": f"{type(e).__name__}: {str(e)[:2000]}"}
                continue
            first_call_ms[name] = (time.perf_counter() - start) * 1e3
            self.timed_baselines[name] = fn
        return {"baseline_first_call_ms": first_call_ms, "baseline_failures": failed}

    def time(self, msg):
        """Times every function on the staged inputs, then calls the candidate once more
        on the final inputs written over them in place. Outputs stay here for collect()."""
        import layout
        import timing

        args, final, flush = self.staged["args"], self.staged["final"], self.staged["flush"]
        fns = {"ground_truth": self.ground_truth, "candidate": self.fn}
        if msg.get("time_reference") and self.reference is not None:
            fns["reference"] = self.reference
        fns.update(self.timed_baselines)
        try:
            stats = timing.measure(fns, args, int(msg["warmup_ms"]), int(msg["repetitions"]), flush)
            # Only the candidate's (and the ground truth's, its yardstick) are judged.
            sanity = {name: timing.synced_wall_excess_ms(fns[name], args) for name in ("candidate", "ground_truth")}
            bandwidth = timing.copy_bandwidth_gbps()
            for a, b in zip(args, final):
                if isinstance(a, self.torch.Tensor):
                    a.copy_(b)
            # Tensors keep their storage (now holding the final values); plain values
            # (a scale, a zero point) are the final draw's, which the judge's expected
            # outputs were computed with: matmul_dequantize's draws its scale per seed.
            args = [a if isinstance(a, self.torch.Tensor) else b for a, b in zip(args, final)]
            ret = self.fn(*args)
            self._synchronize()
            # Each baseline's outputs on fresh copies of the final inputs, for the judge
            # to check (baseline() is written apart from the reference, and a compiled
            # function may differ numerically).
            baseline_outputs = {}
            for name, fn in self.timed_baselines.items():
                fresh = layout.device_copies(final, self.dev)
                written = [fresh[i] for i in range(len(fresh)) if i not in self.read_only]
                baseline_outputs[name] = self._outputs(fn(*fresh)) + [
                    t for t in written if isinstance(t, self.torch.Tensor)]
            self._synchronize()
        except Exception as e:
            import task_files

            self.staged = None
            raise EvaluationFailure(classify_call_exception(e),
                                    f"timing raised {type(e).__name__}: {e}\n{task_files.last_frames(e)}")
        self._check_bindings("timing")
        self.staged = {"outputs": self._outputs(ret), "args": args, "baselines": baseline_outputs}
        return {"stats": stats, "wall_excess_ms": sanity, "copy_gbps": bandwidth}

    def collect(self, msg):
        """Copies the outputs of the last timed case's final call to host memory, for
        write()."""
        staged, self.staged = self.staged, None
        self._to_host(staged["outputs"], staged["args"], staged["baselines"])
        return {}


def serve(cmd_fd, reply_fd):
    """The candidate process's main loop; never returns."""
    commands = os.fdopen(cmd_fd, "r")
    replies = os.fdopen(reply_fd, "w", buffering=1)

    def send(obj):
        replies.write(json.dumps(obj) + "\n")
        replies.flush()

    session = None
    for line in commands:
        msg = json.loads(line)
        op = msg.get("op")
        if op == "quit":
            break
        try:
            if op == "start":
                os.chdir(msg["dir"])
                for name in ("HOME", "TMPDIR"):
                    os.environ[name] = msg["dir"]
                # A private cache, unless the run measures trusted kernels only.
                os.environ["TRITON_CACHE_DIR"] = msg.get("triton_cache_dir") or os.path.join(msg["dir"], "triton-cache")
                # torch.compile baselines: Inductor's cache goes with the Triton cache.
                os.environ["TORCHINDUCTOR_CACHE_DIR"] = (msg["triton_cache_dir"].rstrip("/") + "-inductor"
                                                         if msg.get("triton_cache_dir") else
                                                         os.path.join(msg["dir"], "inductor-cache"))
                for name in list(os.environ):
                    if name.startswith("TB_"):
                        del os.environ[name]
                if msg["device"] == "cpu":
                    os.environ["TRITON_INTERPRET"] = "1"
                session = Session(msg)
                send({"ok": True, "isolation": session.isolation})
            elif op in ("read", "call", "stage", "time", "collect", "write"):
                send({"ok": True, **getattr(session, op)(msg)})
                # The op's temporaries are freed by now (after time: an eager reference's,
                # 35 GB for attention at performance sizes).
                if op in ("call", "time", "collect"):
                    session.release_gpu_memory()
        except EvaluationFailure as f:
            send({"ok": False, "kind": f.kind, "message": f.message})
        except Exception as e:  # noqa: BLE001
            import traceback

            send({"ok": False, "kind": "HARNESS_ERROR",
                  "message": f"candidate process: {e!r}\n{traceback.format_exc()[-2000:]}"})
        sys.stdout.flush()
        sys.stderr.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
