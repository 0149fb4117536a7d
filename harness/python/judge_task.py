"""A task as the judge holds it: the device it runs on, the task's trusted files
(reference.py, kernel.py) loaded, its inputs drawn and the reference outputs computed
(Task), one correctness call to compare (Check), the checks of baseline() against the
reference, and the hidden checks the spec does not list. Nothing here runs the
candidate: judge_calls.py and perf_case.py do, through the candidate's process."""

import os
import sys
import types

import verdicts
from failures import EvaluationFailure


def resolve_device(requested):
    """Imports torch (not triton), picks "gpu" or "cpu", and sets TRITON_INTERPRET for
    the CPU before triton is first imported."""
    try:
        import torch
        import importlib.util
        if importlib.util.find_spec("triton") is None:
            raise ImportError("No module named 'triton'")
    except ImportError as e:
        raise EvaluationFailure(
            verdicts.HARNESS_ERROR,
            f"{sys.executable} cannot import torch and triton ({e}). Run tools/setup.sh, then pass "
            "--python=PATH or set TB_PYTHON to the interpreter it prints.")

    if requested not in ("auto", "cpu", "gpu", ""):
        raise EvaluationFailure(verdicts.HARNESS_ERROR, f"unknown device '{requested}' (auto, cpu, gpu)")
    has_gpu = torch.cuda.is_available()
    if requested == "gpu" and not has_gpu:
        raise EvaluationFailure(verdicts.HARNESS_ERROR, "device=gpu asked for, but torch sees no GPU")
    device = "gpu" if (requested in ("auto", "") and has_gpu) or requested == "gpu" else "cpu"
    if device == "cpu":
        os.environ["TRITON_INTERPRET"] = "1"
    return device


def synchronize(device):
    import torch

    if device == "gpu":
        torch.cuda.synchronize()


class Task:
    """A task's spec plus its trusted Python files."""

    def __init__(self, spec, task_dir, device, gpu=None):
        import gpu_lock
        import task_files

        self.spec = spec
        self.device = device
        # Orders this worker's GPU work against other workers' timings (gpu_lock.py).
        self.gpu = gpu or gpu_lock.GpuLock("")
        self.reference_path = os.path.join(task_dir, "reference.py")
        self.kernel_path = os.path.join(task_dir, "kernel.py")
        self.reference = task_files.load_module(self.reference_path, "tb_reference")
        task_files.require(self.reference, ["make_inputs", "reference"], "reference.py")
        kernel = task_files.load_module(self.kernel_path, "tb_ground_truth")
        self.ground_truth = task_files.entry_point(kernel, spec["entry_point"], "kernel.py")
        self.tolerances = {t["dtype"]: (float(t.get("atol", 0.0)), float(t.get("rtol", 0.0)))
                           for t in spec.get("tolerances", [])}
        self.mutated = {int(i) for i in spec.get("mutated_args", [])}

    def make_cpu_args(self, case, seed):
        """Fresh inputs for (case, seed), drawn on the CPU from a seeded generator, so
        they are identical on every device."""
        import torch

        dtype_name = case.get("dtype", "")
        view = types.SimpleNamespace(
            name=case.get("name", ""),
            dims={k: int(v) for k, v in case.get("dims", {}).items()},
            params={k: float(v) for k, v in case.get("params", {}).items()},
            dtype=getattr(torch, dtype_name) if dtype_name else None,
        )
        gen = torch.Generator().manual_seed(int(seed))
        args = self.reference.make_inputs(view, gen)
        if not isinstance(args, (list, tuple)):
            raise EvaluationFailure(verdicts.HARNESS_ERROR, "make_inputs() must return a list of arguments")
        return list(args)

    def to_device(self, args):
        import layout

        # Always a copy (the reference may write its arguments: mutated_args), with the
        # strides make_inputs gave (a padded view stays padded on the GPU too).
        return layout.device_copies(args, "cuda" if self.device == "gpu" else "cpu")

    def expected(self, case, cpu_args, fn=None, with_args=False):
        """Outputs of `fn` (default: the reference) on a device copy of `cpu_args`
        (returned tensors, then mutated arguments), on the CPU; with `with_args`, also
        the arguments after the call (CPU; None for non-tensors), to check writes.

        On a GPU shared with other evaluations (evaluate --jobs), a reference that runs
        out of memory is run once more holding the GPU alone: eager attention references
        hold 35 GB of float32 scores at performance sizes, and on an H200 four of them at
        once left too little for a fifth."""
        if self.device == "gpu" and self.gpu.path:
            import torch

            try:
                return self._expected(case, cpu_args, fn, with_args, self.gpu.shared, pass_oom=True)
            except torch.cuda.OutOfMemoryError:
                torch.cuda.empty_cache()
                return self._expected(case, cpu_args, fn, with_args, self.gpu.exclusive)
        return self._expected(case, cpu_args, fn, with_args, self.gpu.shared)

    def _expected(self, case, cpu_args, fn, with_args, lock, pass_oom=False):
        import compare
        import torch

        fn = fn or self.reference.reference
        what = f"{getattr(fn, '__name__', 'the function')}()"
        with lock():
            args = self.to_device(cpu_args)
            try:
                ret = fn(*args)
                synchronize(self.device)
            except Exception as e:
                if pass_oom and isinstance(e, torch.cuda.OutOfMemoryError):
                    raise  # expected() runs it again, alone on the GPU
                raise EvaluationFailure(
                    verdicts.HARNESS_ERROR, f"{what} raised on case {case.get('name')}: {e!r}")
            outs = compare.as_output_list(ret, what) + [args[i] for i in sorted(self.mutated)]
            outs = [o.detach().cpu().clone() for o in outs]
            if with_args:
                outs = outs, [a.detach().cpu() if isinstance(a, torch.Tensor) else None for a in args]
            if self.device == "gpu":
                # The GPU's memory is the candidate's (and, with --jobs, other evaluations').
                del args, ret
                torch.cuda.empty_cache()
            return outs

    def compare(self, outputs, expected):
        """compare.compare_outputs on CPU tensors, with the arithmetic on this task's
        device (GPU work: shared with other evaluations, never beside a timing)."""
        import compare

        if self.device != "gpu":
            return compare.compare_outputs(outputs, expected, self.tolerances, "cpu")
        import torch

        with self.gpu.shared():
            try:
                return compare.compare_outputs(outputs, expected, self.tolerances, "cpu", work_device="cuda")
            finally:
                torch.cuda.empty_cache()

    def read_only_args(self, cpu_args):
        return [i for i in range(len(cpu_args)) if i not in self.mutated]


class Check:
    """One call of the candidate to compare: a case, a seed, its inputs (CPU) and the
    reference's outputs for them."""

    def __init__(self, task, case, seed, label=None, cpu_args=None):
        self.case, self.seed = case, int(seed)
        self.label = label or case.get("name", "")
        self.cpu_args = cpu_args if cpu_args is not None else task.make_cpu_args(case, seed)
        self.expected = task.expected(case, self.cpu_args)


def check_baseline(task, checks):
    """Checks the task's baseline() (baselines.py: the PyTorch a user would write, timed
    as torch_eager and compiled for the torch.compile rows) against its reference on
    every correctness check, as a candidate's call is judged: outputs within the task's
    tolerances, inputs other than mutated_args left unchanged. A disagreement is a bug
    of the task, so a HARNESS_ERROR naming the case."""
    import baselines
    import compare

    try:
        fn = baselines.function(task.reference)
    except ValueError as e:
        raise EvaluationFailure(verdicts.HARNESS_ERROR, f"{task.reference_path}: {e}")
    for check in checks:
        where = f"baseline() at case '{check.label}' seed {check.seed}"
        try:
            outputs, after = task.expected(check.case, check.cpu_args, fn=fn, with_args=True)
        except EvaluationFailure as f:  # raised, or returned no tensors
            raise EvaluationFailure(verdicts.HARNESS_ERROR, f"{where}: {f.message}")
        changed = compare.mutated_inputs(check.cpu_args, after, task.mutated)
        if changed:
            raise EvaluationFailure(
                verdicts.HARNESS_ERROR, f"{where} wrote to input(s) {changed}, which must stay unchanged")
        try:
            task.compare(outputs, check.expected)
        except EvaluationFailure as f:
            raise EvaluationFailure(
                verdicts.HARNESS_ERROR, f"{where} disagrees with reference(): {f.kind}: {f.message}")


def hidden_checks(task, spec, salt=0):
    """Checks the spec does not list, so that a candidate cannot special-case what it
    was shown: the first correctness case with an unlisted seed, and the smallest
    correctness case with every dimension doubled (its seed salted too). Each is kept
    only where the ground truth itself passes it, so a task whose kernel needs the
    listed sizes (or whose tolerance is tight for other data) is never held against a
    candidate."""
    import perf_case

    cases = [c for c in spec.get("correctness_cases", []) if c.get("seeds")]
    if not cases:
        return []

    def passed_by_ground_truth(case, seed, label):
        try:
            check = Check(task, case, seed, label=label)
            got = task.expected(case, check.cpu_args, fn=task.ground_truth)
            task.compare(got, check.expected)
            return [check]
        except Exception:  # noqa: BLE001 - the ground truth or reference cannot take it
            return []

    first = cases[0]
    listed = {int(s) for c in cases for s in c.get("seeds", [])}
    seed = perf_case.salted(0x9E3779B1 ^ int(first["seeds"][0]), salt)
    while seed in listed:
        seed += 1
    out = passed_by_ground_truth(first, seed, f"hidden:{first.get('name', '')}")

    def size(case):
        n = 1
        for v in case.get("dims", {}).values():
            n *= max(1, int(v))
        return n

    small = min(cases, key=size)
    if small.get("dims"):
        doubled = dict(small, name=small.get("name", "") + "_x2",
                       dims={k: 2 * int(v) for k, v in small["dims"].items()})
        out += passed_by_ground_truth(doubled, perf_case.salted(int(small["seeds"][0]), salt),
                                      f"hidden:{doubled['name']}")
    return out
