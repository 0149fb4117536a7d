"""Evaluation worker: one process evaluates one candidate against one task.

The C++ runner (harness/evaluator.h) starts this file in a fresh process with limits,
passing an EvaluationRequest as JSON (proto3 JSON mapping, proto field names), and
reads the EvaluationResult JSON it writes. Anything this process does (a candidate's
crash, hang or memory blow-up included) cannot take the runner down.

    python3 worker.py --request request.json
    python3 worker.py --probe --device auto --out environment.json

Order matters for trust: every reference output is computed before the candidate is
imported, so a candidate cannot change what it is compared against.
"""

import argparse
import hashlib
import json
import math
import os
import sys
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from failures import EvaluationFailure, classify_call_exception  # noqa: E402


class Progress:
    """Appends one line per stage to a file the runner reads if this process dies."""

    def __init__(self, path):
        self.file = open(path, "a", buffering=1) if path else None
        self.stage = ""

    def __call__(self, stage):
        self.stage = stage
        if self.file:
            self.file.write(stage + "\n")
            self.file.flush()


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

    def __init__(self, spec, task_dir, device):
        import task_files

        self.spec = spec
        self.device = device
        self.reference = task_files.load_module(os.path.join(task_dir, "reference.py"), "tb_reference")
        task_files.require(self.reference, ["make_inputs", "reference"], "reference.py")
        kernel = task_files.load_module(os.path.join(task_dir, "kernel.py"), "tb_ground_truth")
        self.ground_truth = task_files.entry_point(kernel, spec["entry_point"], "kernel.py")
        self.tolerances = {t["dtype"]: (float(t.get("atol", 0.0)), float(t.get("rtol", 0.0)))
                           for t in spec.get("tolerances", [])}
        self.mutated = {int(i) for i in spec.get("mutated_args", [])}
        self._last_draw = None  # ((case, seed), CPU arguments) of the last make_args

    def make_args(self, case, seed):
        """Fresh inputs for (case, seed): drawn on the CPU from a seeded generator, so
        they are identical on every device, then moved to the device."""
        import torch

        dtype_name = case.get("dtype", "")
        view = types.SimpleNamespace(
            name=case.get("name", ""),
            dims={k: int(v) for k, v in case.get("dims", {}).items()},
            params={k: float(v) for k, v in case.get("params", {}).items()},
            dtype=getattr(torch, dtype_name) if dtype_name else None,
        )
        # A performance case asks for the same (case, seed) three times (reference,
        # check, timing): drawing GPU-sized inputs on the CPU dominates a task's time, so
        # the last draw is kept and copied (the copies are independent tensors).
        key = (id(case), int(seed))  # the spec's case dicts live as long as the task
        if self._last_draw is not None and self._last_draw[0] == key:
            args = [a.clone() if isinstance(a, torch.Tensor) else a for a in self._last_draw[1]]
        else:
            gen = torch.Generator().manual_seed(int(seed))
            args = self.reference.make_inputs(view, gen)
            if not isinstance(args, (list, tuple)):
                raise EvaluationFailure("HARNESS_ERROR", "make_inputs() must return a list of arguments")
            self._last_draw = (key, [a.clone() if isinstance(a, torch.Tensor) else a for a in args])
        dev = torch_device(self.device)
        return [a.to(dev) if isinstance(a, torch.Tensor) else a for a in args]

    def expected(self, case, seed):
        """The reference's outputs (returned tensors, then mutated arguments), on the CPU."""
        import compare

        args = self.make_args(case, seed)
        try:
            ret = self.reference.reference(*args)
        except Exception as e:
            raise EvaluationFailure(
                "HARNESS_ERROR", f"reference() raised on case {case.get('name')}: {e!r}")
        synchronize(self.device)
        outs = compare.as_output_list(ret, "reference()") + [args[i] for i in sorted(self.mutated)]
        return [o.detach().cpu().clone() for o in outs]

    def call(self, fn, args, what):
        """Calls fn(*args) and waits for the device; an exception becomes a failure."""
        try:
            ret = fn(*args)
            synchronize(self.device)
        except BaseException as e:  # noqa: BLE001 - SystemExit from a candidate is a failure too
            if isinstance(e, KeyboardInterrupt):
                raise
            import task_files

            raise EvaluationFailure(
                classify_call_exception(e) if isinstance(e, Exception) else "RUNTIME_ERROR",
                f"{what} raised {type(e).__name__}: {e}\n{task_files.last_frames(e)}")
        return ret


def check_call(task, fn, case, seed, expected):
    """Runs the candidate on fresh inputs of (case, seed) and compares. Returns a
    CaseResult dict; raises EvaluationFailure when the call itself fails."""
    import compare

    name = case.get("name", "")
    args = task.make_args(case, seed)
    before = compare.snapshot(args)
    ret = task.call(fn, args, f"the entry point on case '{name}' seed {seed}")
    result = {"case_name": name, "seed": int(seed), "passed": False}
    try:
        outputs = compare.as_output_list(ret, "the entry point")
        alias = compare.aliases_input(outputs, args, task.mutated)
        if alias is not None:
            raise EvaluationFailure("OUTPUT_ALIASES_INPUT", f"an output shares storage with input {alias}")
        changed = compare.mutated_inputs(args, before, task.mutated)
        if changed:
            raise EvaluationFailure("INPUT_MUTATED", f"the call wrote to input(s) {changed}, which must stay unchanged")
        outputs = outputs + [args[i] for i in sorted(task.mutated)]
        max_abs, max_rel, frac = compare.compare_outputs(
            outputs, expected, task.tolerances, torch_device(task.device))
        result.update(passed=True, failure_kind="NONE", max_abs_error=max_abs,
                      max_rel_error=max_rel, mismatch_fraction=frac)
    except EvaluationFailure as f:
        if f.kind == "HARNESS_ERROR":
            raise
        result.update(failure_kind=f.kind, message=f"case '{name}' seed {seed}: {f.message}")
    return result


def time_case(task, fn, case, settings, flush):
    """Checks the candidate once at this performance shape, then times ground truth,
    candidate and (optionally) the PyTorch reference on the same inputs."""
    import timing

    name = case.get("name", "")
    seeds = case.get("seeds") or [1_000_003]
    seed = int(seeds[0])
    expected = task.expected(case, seed)
    check = check_call(task, fn, case, seed, expected)
    if not check["passed"]:
        check["case_name"] = "perf:" + name
        return None, check
    args = task.make_args(case, seed)
    reps = int(settings.get("timing_repetitions") or 100)
    warm = int(settings.get("warmup_ms") or 50)
    fns = {"ground_truth": task.ground_truth, "candidate": fn}
    if settings.get("time_reference"):
        fns["reference"] = task.reference.reference
    out = {"case_name": name, **timing.measure(fns, args, warm, reps, flush)}
    flops = float(case.get("flops", 0.0))
    nbytes = float(case.get("bytes", 0.0)) or default_bytes(args, expected)
    out["flops"], out["bytes"] = flops, nbytes
    for who in ("candidate", "ground_truth", "reference"):
        if who in out:
            tflops, gbps = timing.throughput(flops, nbytes, out[who]["median_ms"])
            out[who + "_tflops"], out[who + "_gbps"] = tflops, gbps
    out["speedup"] = out["ground_truth"]["median_ms"] / out["candidate"]["median_ms"]
    return out, None


def default_bytes(args, expected):
    """Inputs read once plus outputs written once (the reference's outputs, which
    include arguments written in place)."""
    import torch

    inputs = sum(a.numel() * a.element_size() for a in args if isinstance(a, torch.Tensor))
    return float(inputs + sum(o.numel() * o.element_size() for o in expected))


def evaluate(request, progress, result):
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
    if missing:
        raise EvaluationFailure("UNSUPPORTED", f"this device lacks required feature(s): {', '.join(missing)}")
    progress("load task")
    task = Task(spec, request["task_dir"], device)
    progress("reference outputs")
    checks = [(case, int(seed), task.expected(case, seed))
              for case in spec.get("correctness_cases", []) for seed in case.get("seeds", [])]
    if not checks:
        raise EvaluationFailure("HARNESS_ERROR", "the task has no correctness case with a seed")

    progress("import candidate")
    import task_files

    module = task_files.load_module(request["candidate_path"], "tb_candidate")
    fn = task_files.entry_point(module, spec["entry_point"], request["candidate_path"])

    for case, seed, expected in checks:
        progress(f"correctness case '{case.get('name', '')}' seed {seed}")
        try:
            result["cases"].append(check_call(task, fn, case, seed, expected))
        except EvaluationFailure as f:
            result["cases"].append({"case_name": case.get("name", ""), "seed": seed, "passed": False,
                                    "failure_kind": f.kind, "message": f.message})
            raise
    result["call_ok"] = True
    failed = [c for c in result["cases"] if not c["passed"]]
    if failed:
        result["failure_kind"], result["message"] = failed[0]["failure_kind"], failed[0]["message"]
        return
    result["execution_ok"] = True

    if device != "gpu":
        result["timing_unavailable_reason"] = (
            "no GPU: correctness ran in the Triton interpreter on the CPU; latency is measured on GPUs only")
        return
    perf_cases = spec.get("performance_cases", [])
    if not perf_cases:
        result["timing_unavailable_reason"] = "the task has no performance case"
        return
    import timing

    flush = timing.L2Flusher(settings.get("flush_l2", True))
    for case in perf_cases:
        progress(f"timing case '{case.get('name', '')}'")
        try:
            perf, failed_check = time_case(task, fn, case, settings, flush)
        except EvaluationFailure:
            result["call_ok"] = result["execution_ok"] = False
            raise
        if failed_check:
            result["execution_ok"] = False
            result["cases"].append(failed_check)
            result["failure_kind"], result["message"] = failed_check["failure_kind"], failed_check["message"]
            return
        result["performance"].append(perf)
    result["timing_available"] = True
    speedups = [p["speedup"] for p in result["performance"]]
    result["speedup"] = math.exp(sum(math.log(s) for s in speedups) / len(speedups))


def run_request(path):
    with open(path) as f:
        request = json.load(f)
    progress = Progress(request.get("progress_path"))
    result = {"task_id": request.get("task", {}).get("id", ""),
              "candidate_path": request.get("candidate_path", ""),
              "call_ok": False, "execution_ok": False, "failure_kind": "NONE", "cases": [],
              "performance": [], "timing_available": False}
    try:
        evaluate(request, progress, result)
    except EvaluationFailure as f:
        result["failure_kind"], result["message"] = f.kind, f.message
    except Exception as e:  # a bug in the harness or task, reported, not hidden
        result["failure_kind"] = "HARNESS_ERROR"
        result["message"] = f"harness error: {e!r}\n{traceback.format_exc()[-3000:]}"
    result["last_stage"] = progress.stage
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
