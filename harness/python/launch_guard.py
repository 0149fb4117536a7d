"""Evidence, gathered inside the candidate process, that the outputs came from Triton.

Installed before the candidate is imported:
- `LaunchGuard` wraps Triton's launch path (JITFunction.run, and InterpretedFunction.run
  in the CPU interpreter; autotuners and heuristics end there too) and counts launches.
- During a checked call, a TorchDispatchMode tracks which storages hold data that a
  Triton kernel may have written: a tensor the call passed to a launch (other than the
  read-only inputs), and anything torch computed from such a tensor (a cast, a view, a
  final reduction in torch are all fine). An output whose storage never got there was
  computed by torch alone from the inputs: the work was not done by a Triton kernel.
  It also tracks storages that torch *computed* (any op but copies, views, fills and
  allocations) from data no kernel wrote: an output that held such a result before a
  Triton kernel first touched it was laundered (torch.softmax, then a Triton kernel that
  loads and stores its own output).
- `compiled_names` collects the names of every kernel Triton compiles in the process
  (kernel_share.py counts their GPU time as Triton's).
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


# aten ops that allocate fresh storage from an input's shape alone: their result holds
# none of the input's data.
_ALLOCATION_OPS = {
    "empty", "empty_like", "empty_strided", "full", "full_like", "new_empty", "new_empty_strided", "new_full",
    "new_ones", "new_zeros", "ones", "ones_like", "zeros", "zeros_like",
}
# aten ops that move, view, allocate or fill data: no computation of their own.
_MOVEMENT_OPS = {
    "_to_copy", "_unsafe_view", "alias", "as_strided", "cat", "clone", "contiguous", "copy", "copy_",
    "detach", "empty", "empty_like", "empty_strided", "expand", "fill", "fill_", "full", "full_like",
    "lift_fresh", "narrow", "new_empty", "new_empty_strided", "new_full", "new_ones", "new_zeros", "ones",
    "ones_like", "permute", "reshape", "resize_", "select", "set_", "slice", "split", "split_with_sizes",
    "squeeze", "stack", "t", "transpose", "unbind", "unsqueeze", "view", "zero_", "zeros", "zeros_like",
}


class _TaintMode(TorchDispatchMode):
    def __init__(self, guard):
        super().__init__()
        self.guard = guard

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        g = self.guard
        if g.launch_depth == 0:
            flat_in, _ = tree_flatten((args, kwargs))
            keys_in = {_storage_key(t) for t in flat_in if isinstance(t, torch.Tensor)}
            keys_in.discard(0)
            if func.overloadpacket.__name__ == "lift_fresh":
                keys_in = set()  # torch.tensor(data): new storage made outside the dispatcher
            flat_out, _ = tree_flatten(out)
            keys_out = [k for k in (_storage_key(t) for t in flat_out if isinstance(t, torch.Tensor)) if k]
            for key in keys_out:
                if key not in keys_in:  # a fresh allocation: whatever its address held is gone
                    g.tainted.discard(key)
                    g.torch_computed.pop(key, None)
                    g.laundered_by.pop(key, None)
            computed_in = [g.torch_computed[k] for k in keys_in if k in g.torch_computed]
            op = func.overloadpacket.__name__
            if op in _ALLOCATION_OPS:
                pass
            elif keys_in & g.tainted:
                g.tainted.update(keys_out)
            elif keys_in and (op not in _MOVEMENT_OPS or computed_in):
                # Computed by torch from data no kernel wrote (in place: the argument
                # too), or moved from such a result.
                for key in keys_out:
                    g.torch_computed.setdefault(key, computed_in[0] if op in _MOVEMENT_OPS else op)
        return out


class LaunchGuard:
    def __init__(self):
        self.launches = 0
        self.launch_depth = 0
        self.tainted = set()
        self.torch_computed = {}  # storage -> the op that computed it
        self.laundered_by = {}  # storage -> the op whose result a launch took in
        self.read_only = set()
        self.installed = []
        self.compiled_names = set()

    def install(self):
        """Wraps the launch paths Triton has; returns their names."""
        from triton.runtime import jit

        self._wrap(jit.JITFunction, "JITFunction.run")
        try:
            from triton.runtime import interpreter

            self._wrap(interpreter.InterpretedFunction, "InterpretedFunction.run")
        except ImportError:
            pass
        self._record_compiled_names()
        return self.installed

    def _record_compiled_names(self):
        from triton.compiler import compiler

        original = compiler.CompiledKernel.__init__
        names = self.compiled_names

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            names.add(self.name)

        init.__wrapped__ = original
        compiler.CompiledKernel.__init__ = init
        self.installed.append("CompiledKernel.__init__")

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
                        if key not in guard.tainted and key in guard.torch_computed:
                            guard.laundered_by[key] = guard.torch_computed[key]
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
        self.torch_computed = {}
        self.laundered_by = {}
        self.read_only = {_storage_key(args[i]) for i in read_only_args
                          if isinstance(args[i], torch.Tensor)}
        if not track:
            return fn(*args), self.launches
        with _TaintMode(self):
            result = fn(*args)
        return result, self.launches

    def from_triton(self, tensor):
        return _storage_key(tensor) in self.tainted

    def laundered(self, tensor):
        """The torch op whose result this tensor held when a Triton kernel first took it
        in, or "" (see the module's docstring)."""
        return self.laundered_by.get(_storage_key(tensor), "")


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
            (jit.JITFunction, "run"), (torch.UntypedStorage, "copy_"), (torch, "randint"),
            (torch, "unravel_index"), (torch.cuda, "_sleep"),
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
