"""Evaluation worker: one process evaluates one candidate against one task.

The C++ runner (harness/evaluator.h) starts this file in a fresh process with limits,
passing an EvaluationRequest as JSON (proto3 JSON mapping, proto field names), and
reads the EvaluationResult JSON it writes. Anything this process does (a candidate's
crash, hang or memory blow-up included) cannot take the runner down.

    python3 worker.py --request request.json
    python3 worker.py --probe --device auto --out environment.json

Trust: this process is the judge. The candidate runs in a second process
(candidate_process.py), forked before the request is read, which receives input files
and returns output files; the inputs, the reference outputs, the comparison and the
verdict stay here. The judge deletes the request file once read, is non-dumpable, and
signs its result with the request's token, so that code in the candidate's process
can neither read what it is compared against nor forge the result.
"""

import argparse
import hashlib
import json
import math
import os
import sys
import tempfile
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from failures import EvaluationFailure, rejected, split_kind  # noqa: E402


class Progress:
    """Appends one line per stage to a file the runner reads if this process dies, and
    adds up the wall time of each kind of stage (the label up to its first quote)."""

    def __init__(self, path):
        import time

        self.file = open(path, "a", buffering=1) if path else None
        self.stage = ""
        self.clock = time.monotonic
        self.since = self.clock()
        self.seconds = {}

    def _close_stage(self):
        now = self.clock()
        if self.stage:
            kind = self.stage.split("'")[0].strip()
            self.seconds[kind] = self.seconds.get(kind, 0.0) + now - self.since
        self.since = now

    def __call__(self, stage):
        self._close_stage()
        self.stage = stage
        if self.file:
            self.file.write(stage + "\n")
            self.file.flush()

    def totals(self):
        self._close_stage()
        return dict(self.seconds)


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
            "HARNESS_ERROR",
            f"{sys.executable} cannot import torch and triton ({e}). Run tools/setup.sh, then pass "
            "--python=PATH or set TB_PYTHON to the interpreter it prints.")

    if requested not in ("auto", "cpu", "gpu", ""):
        raise EvaluationFailure("HARNESS_ERROR", f"unknown device '{requested}' (auto, cpu, gpu)")
    has_gpu = torch.cuda.is_available()
    if requested == "gpu" and not has_gpu:
        raise EvaluationFailure("HARNESS_ERROR", "device=gpu asked for, but torch sees no GPU")
    device = "gpu" if (requested in ("auto", "") and has_gpu) or requested == "gpu" else "cpu"
    if device == "cpu":
        os.environ["TRITON_INTERPRET"] = "1"
    return device


def torch_device(device):
    return "cuda" if device == "gpu" else "cpu"


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
            raise EvaluationFailure("HARNESS_ERROR", "make_inputs() must return a list of arguments")
        return list(args)

    def to_device(self, args):
        import layout

        # Always a copy (the reference may write its arguments: mutated_args), with the
        # strides make_inputs gave (a padded view stays padded on the GPU too).
        return layout.device_copies(args, torch_device(self.device))

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
                    "HARNESS_ERROR", f"{what} raised on case {case.get('name')}: {e!r}")
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


class Files:
    """The candidate's private folder and the paths of the files exchanged in it."""

    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="candidate-", dir=root)
        os.chmod(self.dir, 0o700)
        self.inputs = os.path.join(self.dir, "inputs.pt")
        self.outputs = os.path.join(self.dir, "outputs.pt")

    def write_inputs(self, cpu_args):
        import torch

        torch.save(cpu_args, self.inputs)

    def read_outputs(self):
        """(outputs, arguments after the call, {baseline: outputs}) from the candidate."""
        import torch

        try:
            data = torch.load(self.outputs, weights_only=True)
            os.unlink(self.outputs)
            return data["outputs"], data["args"], data.get("baselines", {})
        except Exception as e:  # noqa: BLE001 - the file came from the candidate's process
            raise EvaluationFailure("WRONG_OUTPUT_STRUCTURE", f"unreadable outputs from the candidate process: {e!r}")


def judge_outputs(task, check, reply, outputs, args_after):
    """Compares what one call returned with the reference. Returns (max_abs, max_rel,
    mismatch_fraction) or raises EvaluationFailure for the first problem."""
    import compare

    if reply.get("alias") is not None:
        raise EvaluationFailure("OUTPUT_ALIASES_INPUT", f"an output shares storage with input {reply['alias']}")
    changed = compare.mutated_inputs(check.cpu_args, args_after, task.mutated)
    if changed:
        raise EvaluationFailure("INPUT_MUTATED", f"the call wrote to input(s) {changed}, which must stay unchanged")
    want = torch_device(task.device)
    for i, dev in enumerate(reply.get("output_devices", [])):
        if dev != want:
            raise EvaluationFailure("WRONG_DEVICE", f"output {i} is on {dev}; expected {want}")
    outputs = list(outputs) + [args_after[i] for i in sorted(task.mutated)]
    return task.compare(outputs, check.expected)


def run_check(task, child, files, check):
    """Runs the candidate on the check's inputs and compares. Returns a CaseResult
    dict (a failed comparison or a rejection is a failed case); raises EvaluationFailure
    when the call itself fails."""
    files.write_inputs(check.cpu_args)
    child.request({"op": "read", "inputs": files.inputs})
    with task.gpu.shared():
        reply = child.request({"op": "call"})
    child.request({"op": "write", "outputs": files.outputs})
    outputs, args_after, _ = files.read_outputs()
    result = {"case_name": check.label, "seed": check.seed, "passed": False}
    try:
        max_abs, max_rel, frac = judge_outputs(task, check, reply, outputs, args_after)
        result.update(max_abs_error=max_abs, max_rel_error=max_rel, mismatch_fraction=frac)
        if not reply.get("launches"):
            raise rejected("no_triton_kernel", "the call launched no Triton kernel")
        if reply.get("not_from_triton"):
            raise rejected("output_not_from_triton",
                           f"output(s) {reply['not_from_triton']} were computed by torch from the inputs; "
                           "no Triton kernel wrote them or anything they were computed from")
        result.update(passed=True, failure_kind="NONE")
    except EvaluationFailure as f:
        if f.kind == "HARNESS_ERROR":
            raise
        kind, check_name = split_kind(f.kind)
        result.update(failure_kind=kind, message=f"case '{check.label}' seed {check.seed}: {f.message}")
        if check_name:
            result["check"] = check_name
    return result


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
        raise EvaluationFailure("HARNESS_ERROR", f"{task.reference_path}: {e}")
    for check in checks:
        where = f"baseline() at case '{check.label}' seed {check.seed}"
        try:
            outputs, after = task.expected(check.case, check.cpu_args, fn=fn, with_args=True)
        except EvaluationFailure as f:  # raised, or returned no tensors
            raise EvaluationFailure("HARNESS_ERROR", f"{where}: {f.message}")
        changed = compare.mutated_inputs(check.cpu_args, after, task.mutated)
        if changed:
            raise EvaluationFailure("HARNESS_ERROR", f"{where} wrote to input(s) {changed}, which must stay unchanged")
        try:
            task.compare(outputs, check.expected)
        except EvaluationFailure as f:
            raise EvaluationFailure("HARNESS_ERROR", f"{where} disagrees with reference(): {f.kind}: {f.message}")


def hidden_checks(task, spec):
    """Checks the spec does not list, so that a candidate cannot special-case what it
    was shown: the first correctness case with an unlisted seed, and the smallest
    correctness case with every dimension doubled. Each is kept only where the ground
    truth itself passes it, so a task whose kernel needs the listed sizes (or whose
    tolerance is tight for other data) is never held against a candidate."""
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
    seed = 0x9E3779B1 ^ int(first["seeds"][0])
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
        out += passed_by_ground_truth(doubled, int(small["seeds"][0]), f"hidden:{doubled['name']}")
    return out


def first_failure(cases):
    """The case that decides the verdict: the first failed comparison, else the first
    rejection by a check."""
    failed = [c for c in cases if not c["passed"]]
    plain = [c for c in failed if c.get("failure_kind") != "REJECTED_BY_CHECK"]
    return (plain or failed or [None])[0]


class PerfPlan:
    """What a performance case needs from the reference, computed before the candidate
    runs (so that a candidate holding the GPU's memory cannot starve the judge): the
    full-size check, the timing inputs, and the inputs and outputs of the final timed
    call (a third draw, written over the timing inputs in place)."""

    def __init__(self, task, case):
        name = case.get("name", "")
        seed = int((case.get("seeds") or [1_000_003])[0])
        self.case = case
        self.check = Check(task, case, seed, label="perf:" + name)
        self.timing_inputs = task.make_cpu_args(case, seed ^ 0x5A5A5A5A)
        self.final = Check(task, case, seed ^ 0xA5A5A5A5, label="timing:" + name)
        differ = layout_differences(self.timing_inputs, self.final.cpu_args)
        if differ:
            # The final inputs are written over the timing inputs in place.
            raise EvaluationFailure("HARNESS_ERROR", (
                f"make_inputs() gives performance case '{name}' different shapes for different seeds "
                f"({differ}); a performance case's shapes must follow from its dims and params alone"))


def layout_differences(args, other):
    """Where two draws of a case's arguments differ in count, shape or dtype ("" if nowhere)."""
    import torch

    if len(args) != len(other):
        return f"{len(args)} arguments against {len(other)}"
    for i, (a, b) in enumerate(zip(args, other)):
        if isinstance(a, torch.Tensor) != isinstance(b, torch.Tensor):
            return f"argument {i} is a tensor in one draw only"
        if isinstance(a, torch.Tensor) and (a.shape != b.shape or a.dtype != b.dtype):
            return f"argument {i}: {tuple(a.shape)} {a.dtype} against {tuple(b.shape)} {b.dtype}"
    return ""


def time_case(task, child, files, plan, settings):
    """Checks the candidate at this performance shape, then has the candidate process
    time ground truth, candidate (and optionally the reference) on fresh inputs, checks
    the outputs the timed calls produced, and sanity-checks the numbers. Returns
    (PerformanceResult dict or None, failed CaseResult dict or None)."""
    import timing

    case = plan.case
    name = case.get("name", "")
    result = run_check(task, child, files, plan.check)
    if not result["passed"]:
        return None, result
    files.write_inputs(plan.timing_inputs)
    timed = plan.final
    final_inputs = os.path.join(files.dir, "final_inputs.pt")
    import torch

    torch.save(timed.cpu_args, final_inputs)
    child.request({"op": "read", "inputs": files.inputs, "final_inputs": final_inputs})
    import baselines

    # torch.compile's first call on this case's shapes (seconds, up to its limit): long.
    with task.gpu.shared(long=baselines.compiles(settings.get("baselines", []))):
        staged = child.request({"op": "stage", "flush_l2": settings.get("flush_l2", True)})
    with task.gpu.exclusive():
        reply = child.request({
            "op": "time", "warmup_ms": int(settings.get("warmup_ms") or 50),
            "repetitions": int(settings.get("timing_repetitions") or 100),
            "time_reference": bool(settings.get("time_reference"))})
    with task.gpu.shared():
        child.request({"op": "collect"})
    child.request({"op": "write", "outputs": files.outputs})
    outputs, args_after, baseline_outputs = files.read_outputs()
    failed = {"case_name": timed.label, "seed": timed.seed, "passed": False,
              "failure_kind": "REJECTED_BY_CHECK"}
    try:
        judge_outputs(task, timed, {"output_devices": [torch_device(task.device)] * len(outputs)},
                      outputs, args_after)
    except EvaluationFailure as f:
        failed.update(check="timing_outputs",
                      message=f"case '{timed.label}': the outputs of the timed calls are wrong: {f.message}")
        return None, failed
    stats = dict(reply["stats"])
    baseline_stats = {n: stats.pop(n) for n in list(stats) if n not in ("candidate", "ground_truth", "reference")}
    out = {"case_name": name, **stats}
    flops = float(case.get("flops", 0.0))
    nbytes = float(case.get("bytes", 0.0)) or default_bytes(timed.cpu_args, timed.expected)
    out["flops"], out["bytes"] = flops, nbytes
    for who in ("candidate", "ground_truth", "reference"):
        if who in out:
            tflops, gbps = timing.throughput(flops, nbytes, out[who]["median_ms"])
            out[who + "_tflops"], out[who + "_gbps"] = tflops, gbps
    out["speedup"] = out["ground_truth"]["median_ms"] / out["candidate"]["median_ms"]
    first_call_ms = staged.get("baseline_first_call_ms", {})
    out["baselines"] = [baseline_timing(task, timed, n, baseline_stats[n], baseline_outputs.get(n), flops, nbytes,
                                        first_call_ms.get(n, 0.0))
                        for n in baseline_stats]
    out["baselines"] += [{"name": n, "failure_kind": f["failure_kind"], "outputs_ok": False,
                          "message": f"{f['failure_kind']} at its first call: {f['message']}"}
                         for n, f in staged.get("baseline_failures", {}).items()]
    excess = reply.get("wall_excess_ms", {})
    out["candidate_wall_excess_ms"] = excess.get("candidate", 0.0)
    out["copy_bandwidth_gbps"] = reply.get("copy_gbps", 0.0)
    problem = timing_problem(out, excess)
    if problem:
        failed.update(check="timing_sanity", message=f"case '{name}': {problem}")
        return None, failed
    return out, None


def baseline_timing(task, timed, name, stats, outputs, flops, nbytes, compile_ms):
    """A BaselineTiming dict: latency, throughput, compile time (its first call on this
    case's shapes, made before timing) and whether its outputs on the final timing
    inputs match the reference."""
    import timing

    tflops, gbps = timing.throughput(flops, nbytes, stats["median_ms"])
    out = {"name": name, "latency": stats, "tflops": tflops, "gbps": gbps,
           "compile_ms": compile_ms, "outputs_ok": False}
    try:
        if outputs is None:
            raise EvaluationFailure("WRONG_OUTPUT_STRUCTURE", "no outputs came back")
        task.compare(outputs, timed.expected)
        out["outputs_ok"] = True
    except EvaluationFailure as f:
        out["message"] = f"{f.kind}: {f.message}"
    return out


def timing_problem(perf, excess):
    """Why the candidate's timing cannot be right, or "" when it can."""
    cand = perf["candidate"]["median_ms"]
    gt = perf["ground_truth"]["median_ms"]
    cand_excess = excess.get("candidate", 0.0)
    gt_excess = max(excess.get("ground_truth", 0.0), 0.0)
    if cand_excess > 0.1 + 2 * gt_excess and cand_excess > 0.5 * cand:
        return (f"each call kept the device busy {cand_excess:.3f} ms past the end of its timed events "
                f"(timed median {cand:.4f} ms): work on another stream or left running after the call")
    bandwidth = perf.get("copy_bandwidth_gbps", 0.0)
    if bandwidth > 0 and perf["bytes"] > 0:
        # Twice the bandwidth a plain copy reaches: no kernel gets there honestly.
        bound_ms = perf["bytes"] / (2 * bandwidth * 1e9) * 1e3
        if cand < bound_ms <= gt:
            return (f"timed at {cand:.4f} ms, faster than moving its {perf['bytes'] / 1e6:.1f} MB at twice "
                    f"the copy bandwidth ({bandwidth:.0f} GB/s) allows ({bound_ms:.4f} ms)")
    return ""


def default_bytes(args, expected):
    """Inputs read once plus outputs written once (the reference's outputs, which
    include arguments written in place)."""
    import torch

    inputs = sum(a.numel() * a.element_size() for a in args if isinstance(a, torch.Tensor))
    return float(inputs + sum(o.numel() * o.element_size() for o in expected))


def set_failure(result, kind, message):
    name, check = split_kind(kind)
    result["failure_kind"], result["message"] = name, message
    if check:
        result["check"] = check


def evaluate(request, progress, result, child, gpu):
    """Fills `result` (an EvaluationResult dict) as it goes, so that a failure raised
    part-way keeps the cases checked before it."""
    settings = request.get("settings", {})
    spec = request["task"]
    try:
        with open(request["candidate_path"], "rb") as f:
            result["candidate_sha256"] = hashlib.sha256(f.read()).hexdigest()
    except OSError as e:
        raise EvaluationFailure("IMPORT_ERROR", f"cannot read candidate {request['candidate_path']}: {e}")
    progress("setup")
    device = resolve_device(settings.get("device", "auto"))
    result["device"] = device
    import environment

    missing = sorted(set(spec.get("required_features", [])) - environment.supported_features(device))
    unsupported = EvaluationFailure("UNSUPPORTED", environment.unsupported_reason(missing, device))
    # The baseline is plain PyTorch: checked even where the device cannot run the kernel.
    if missing and not settings.get("check_baseline"):
        raise unsupported
    progress("load task")
    import gpu_lock

    task = Task(spec, request["task_dir"], device, gpu if device == "gpu" else gpu_lock.GpuLock(""))
    progress("reference outputs")
    checks = [Check(task, case, seed)
              for case in spec.get("correctness_cases", []) for seed in case.get("seeds", [])]
    if not checks:
        raise EvaluationFailure("HARNESS_ERROR", "the task has no correctness case with a seed")
    if settings.get("check_baseline"):
        progress("baseline check")
        check_baseline(task, checks)
    if missing:
        raise unsupported
    hidden = hidden_checks(task, spec)
    perf_cases = spec.get("performance_cases", []) if device == "gpu" else []
    plans = [PerfPlan(task, case) for case in perf_cases]
    if device == "gpu":
        import torch

        torch.cuda.empty_cache()  # the GPU's memory is the candidate's from here on

    import baselines

    wanted = list(settings.get("baselines", []))
    if baselines.unknown(wanted):
        raise EvaluationFailure("HARNESS_ERROR", f"unknown baseline(s) {baselines.unknown(wanted)}; "
                                                 f"known: {sorted(baselines.NAMES)}")
    progress("import candidate")
    files = Files(os.getcwd())
    with task.gpu.shared():  # importing a candidate may touch the GPU
        reply = child.request({
            "op": "start", "candidate": request["candidate_path"], "entry_point": spec["entry_point"],
            "device": device, "dir": files.dir, "triton_cache_dir": settings.get("trusted_triton_cache_dir", ""),
            "ground_truth": task.kernel_path if perf_cases else "",
            "reference": task.reference_path if perf_cases and (settings.get("time_reference") or wanted) else "",
            "baselines": wanted if perf_cases else [],
            "read_only": task.read_only_args(checks[0].cpu_args)})
    result["isolation"] = reply.get("isolation", [])

    for check in checks + hidden:
        progress(f"correctness case '{check.label}' seed {check.seed}")
        try:
            result["cases"].append(run_check(task, child, files, check))
        except EvaluationFailure as f:
            kind, name = split_kind(f.kind)
            case = {"case_name": check.label, "seed": check.seed, "passed": False,
                    "failure_kind": kind, "message": f.message}
            if name:
                case["check"] = name
            result["cases"].append(case)
            raise
        if check is checks[-1] and first_failure(result["cases"]):
            break  # no hidden checks for a candidate that already failed
    result["call_ok"] = True
    failed = first_failure(result["cases"])
    if failed:
        result["failure_kind"], result["message"] = failed["failure_kind"], failed["message"]
        if failed.get("check"):
            result["check"] = failed["check"]
        return
    result["execution_ok"] = True

    if device != "gpu":
        result["timing_unavailable_reason"] = (
            "no GPU: correctness ran in the Triton interpreter on the CPU; latency is measured on GPUs only")
        return
    if not perf_cases:
        result["timing_unavailable_reason"] = "the task has no performance case"
        return
    for plan in plans:
        progress(f"timing case '{plan.case.get('name', '')}'")
        try:
            perf, failed_check = time_case(task, child, files, plan, settings)
        except EvaluationFailure:
            result["call_ok"] = result["execution_ok"] = False
            raise
        if failed_check:
            result["execution_ok"] = False
            result["cases"].append(failed_check)
            result["failure_kind"], result["message"] = failed_check["failure_kind"], failed_check["message"]
            if failed_check.get("check"):
                result["check"] = failed_check["check"]
            return
        result["performance"].append(perf)
    result["timing_available"] = True
    speedups = [p["speedup"] for p in result["performance"]]
    result["speedup"] = math.exp(sum(math.log(s) for s in speedups) / len(speedups))


def run_request(path):
    import sandbox

    protections = sandbox.protect_judge()
    try:
        import torch  # noqa: F401 - imported once, before the fork, for both processes
    except ImportError:
        pass  # resolve_device() reports it
    import candidate_client

    # Forked before the request is read: the candidate's process never holds it.
    child = candidate_client.CandidateProcess()
    with open(path) as f:
        request = json.load(f)
    os.unlink(path)
    progress = Progress(request.get("progress_path"))
    result = {"task_id": request.get("task", {}).get("id", ""),
              "candidate_path": request.get("candidate_path", ""),
              "call_ok": False, "execution_ok": False, "failure_kind": "NONE", "cases": [],
              "performance": [], "timing_available": False}
    import gpu_lock

    gpu = gpu_lock.GpuLock(request.get("settings", {}).get("gpu_lock_path", ""))
    try:
        evaluate(request, progress, result, child, gpu)
    except EvaluationFailure as f:
        set_failure(result, f.kind, f.message)
    except Exception as e:  # a bug in the harness or task, reported, not hidden
        result["failure_kind"] = "HARNESS_ERROR"
        result["message"] = f"harness error: {e!r}\n{traceback.format_exc()[-3000:]}"
    # Nothing the candidate started may outlive it and touch the result.
    child.close()
    result["stage_seconds"] = progress.totals()
    if gpu.path and result.get("device") == "gpu":
        result["stage_seconds"].update(gpu.seconds)
    result["isolation"] = protections + result.get("isolation", [])
    result["last_stage"] = progress.stage
    result["result_token"] = request.get("result_token", "")
    sys.stdout.flush()
    tmp = request["result_path"] + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, request["result_path"])


def probe(device, out_path):
    import environment

    try:
        resolved = resolve_device(device)
    except EvaluationFailure as f:
        sys.exit(f.message)
    env = environment.describe(resolved)
    with open(out_path, "w") as f:
        json.dump(env, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--request")
    parser.add_argument("--probe", action="store_true")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.probe:
        probe(args.device, args.out)
    elif args.request:
        run_request(args.request)
    else:
        parser.error("give --request or --probe")


if __name__ == "__main__":
    main()
