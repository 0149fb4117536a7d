"""Evidence, gathered inside the candidate process, that the outputs came from Triton.

Installed before the candidate is imported:
- `LaunchGuard` wraps Triton's launch path (JITFunction.run, and InterpretedFunction.run
  in the CPU interpreter; autotuners and heuristics end there too) and counts launches.
- During a checked call, a TorchDispatchMode tracks which storages hold data that a
  Triton kernel may have written: a tensor the call passed to a launch (other than the
  read-only inputs), and anything torch computed from such a tensor (a cast, a view, a
  final reduction in torch are all fine). An output whose storage never got there was
  computed by torch alone from the inputs: the work was not done by a Triton kernel.
- `Bindings` records the identity of the functions the harness relies on (timing,
  synchronisation, serialisation, Triton's launch path) and names those that changed.

All of this runs in the candidate's process and can be defeated by a candidate that
sets out to; it catches the plain tricks (torch ops, a decoy kernel, a patched
function). The verdict itself is made by the judge in another process.
"""

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten


def _storage_key(t):
    try:
        return t.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):
        return 0


def _tensors(value):
    """Tensors in a launch argument (tensors, tuples, TensorDescriptor-like .base)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _tensors(v)]
    base = getattr(value, "base", None)
    return [base] if isinstance(base, torch.Tensor) else []


class _TaintMode(TorchDispatchMode):
    def __init__(self, guard):
        super().__init__()
        self.guard = guard

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        g = self.guard
        if g.launch_depth == 0:
            flat_in, _ = tree_flatten((args, kwargs))
            if any(isinstance(t, torch.Tensor) and _storage_key(t) in g.tainted for t in flat_in):
                flat_out, _ = tree_flatten(out)
                for t in flat_out:
                    if isinstance(t, torch.Tensor):
                        key = _storage_key(t)
                        if key:
                            g.tainted.add(key)
        return out


class LaunchGuard:
    def __init__(self):
        self.launches = 0
        self.launch_depth = 0
        self.tainted = set()
        self.read_only = set()
        self.installed = []

    def install(self):
        """Wraps the launch paths Triton has; returns their names."""
        from triton.runtime import jit

        self._wrap(jit.JITFunction, "JITFunction.run")
        try:
            from triton.runtime import interpreter

            self._wrap(interpreter.InterpretedFunction, "InterpretedFunction.run")
        except ImportError:
            pass
        return self.installed

    def _wrap(self, cls, name):
        original = cls.run
        guard = self

        def run(self, *args, grid=None, warmup=False, **kwargs):
            if warmup:
                return original(self, *args, grid=grid, warmup=warmup, **kwargs)
            guard.launch_depth += 1
            try:
                result = original(self, *args, grid=grid, warmup=warmup, **kwargs)
            finally:
                guard.launch_depth -= 1
            guard.launches += 1
            for value in list(args) + list(kwargs.values()):
                for t in _tensors(value):
                    key = _storage_key(t)
                    if key and key not in guard.read_only:
                        guard.tainted.add(key)
            return result

        run.__wrapped__ = original
        cls.run = run
        self.installed.append(name)

    def call(self, fn, args, read_only_args, track):
        """Calls fn(*args). With `track`, records which storages Triton touched.
        Returns (result, launches during the call)."""
        self.launches = 0
        self.tainted = set()
        self.read_only = {_storage_key(args[i]) for i in read_only_args
                          if isinstance(args[i], torch.Tensor)}
        if not track:
            return fn(*args), self.launches
        with _TaintMode(self):
            result = fn(*args)
        return result, self.launches

    def from_triton(self, tensor):
        return _storage_key(tensor) in self.tainted


class Bindings:
    """Identity of the attributes the harness calls, taken before the candidate loads."""

    def __init__(self, extra=()):
        import time

        import triton.runtime.jit as jit

        self.targets = [
            (torch, "save"), (torch, "load"), (torch, "equal"), (torch.Tensor, "clone"),
            (torch.Tensor, "cpu"), (torch.Tensor, "to"), (torch.Tensor, "data_ptr"),
            (torch.Tensor, "untyped_storage"), (torch.cuda, "synchronize"),
            (torch.cuda, "Event"), (torch.cuda.Event, "record"),
            (torch.cuda.Event, "elapsed_time"), (time, "perf_counter"),
            (jit.JITFunction, "run"),
        ] + list(extra)
        self.original = [getattr(obj, name, None) for obj, name in self.targets]

    def changed(self):
        """Names of the attributes that no longer hold what they held at start."""
        out = []
        for (obj, name), value in zip(self.targets, self.original):
            if getattr(obj, name, None) is not value:
                owner = getattr(obj, "__name__", type(obj).__name__)
                out.append(f"{owner}.{name}")
        return out
