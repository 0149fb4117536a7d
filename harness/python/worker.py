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
verdict stay here. What the candidate is timed against (ground truth, baselines,
reference) is timed by a third process, the yardstick (yardstick_process.py), which
never imports the candidate (perf_case.py). The judge deletes the request file once
read, is non-dumpable, and signs its result with the request's token, so that code in
the candidate's process can neither read what it is compared against nor forge the
result.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from failures import EvaluationFailure, split_kind  # noqa: E402


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


def first_failure(cases):
    """The case that decides the verdict: the first failed comparison, else the first
    rejection by a check."""
    failed = [c for c in cases if not c["passed"]]
    plain = [c for c in failed if c.get("failure_kind") != "REJECTED_BY_CHECK"]
    return (plain or failed or [None])[0]


def set_failure(result, kind, message):
    name, check = split_kind(kind)
    result["failure_kind"], result["message"] = name, message
    if check:
        result["check"] = check


def evaluate(request, progress, result, child, yardstick, gpu):
    """Fills `result` (an EvaluationResult dict) as it goes, so that a failure raised
    part-way keeps the cases checked before it."""
    import judge_calls
    import perf_case

    settings = request.get("settings", {})
    salt = int(request.get("input_salt") or 0)
    result["input_salt"] = str(salt)
    spec = request["task"]
    try:
        with open(request["candidate_path"], "rb") as f:
            result["candidate_sha256"] = hashlib.sha256(f.read()).hexdigest()
    except OSError as e:
        raise EvaluationFailure("IMPORT_ERROR", f"cannot read candidate {request['candidate_path']}: {e}")
    progress("setup")
    device = resolve_device(settings.get("device", "auto"))
    result["device"] = device
    if spec.get("upstream"):  # a task imported from GEAK-eval (tools/import_upstream)
        import upstream_judge

        return upstream_judge.evaluate(request, progress, result, child, yardstick, gpu, device)
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
    hidden = hidden_checks(task, spec, salt)
    perf_cases = spec.get("performance_cases", []) if device == "gpu" else []
    memory = 0
    if device == "gpu":
        import torch

        memory = torch.cuda.get_device_properties(torch.cuda.current_device()).total_memory
    plans = [perf_case.PerfPlan(task, case, Check, salt, memory) for case in perf_cases]
    if device == "gpu":
        torch.cuda.empty_cache()  # the GPU's memory is the candidate's from here on

    import baselines

    wanted = list(settings.get("baselines", []))
    if baselines.unknown(wanted):
        raise EvaluationFailure("HARNESS_ERROR", f"unknown baseline(s) {baselines.unknown(wanted)}; "
                                                 f"known: {sorted(baselines.NAMES)}")
    read_only = task.read_only_args(checks[0].cpu_args)
    if perf_cases:
        # Loaded before the candidate: no code of the candidate's has run yet.
        progress("load yardstick")
        yardstick_dir = tempfile.mkdtemp(prefix="yardstick-", dir=os.getcwd())
        with task.gpu.shared():
            perf_case.ask(yardstick, {
                "op": "start", "task_dir": request["task_dir"], "entry_point": spec["entry_point"],
                "device": device, "dir": yardstick_dir, "baselines": wanted,
                "triton_cache_dir": settings.get("trusted_triton_cache_dir", ""),
                "time_reference": bool(settings.get("time_reference")), "read_only": read_only})
    progress("import candidate")
    files = judge_calls.Files(os.getcwd())
    with task.gpu.shared():  # importing a candidate may touch the GPU
        reply = child.request({
            "op": "start", "candidate": request["candidate_path"], "entry_point": spec["entry_point"],
            "device": device, "dir": files.dir, "triton_cache_dir": settings.get("trusted_triton_cache_dir", ""),
            "read_only": read_only})
    result["isolation"] = reply.get("isolation", [])

    for check in checks + hidden:
        progress(f"correctness case '{check.label}' seed {check.seed}")
        try:
            result["cases"].append(judge_calls.run_check(task, child, files, check))
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
    paired = []
    for plan in plans:
        progress(f"timing case '{plan.case.get('name', '')}'")
        try:
            perf, failed_check, rounds = perf_case.time_case(task, child, yardstick, files, plan, settings)
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
        paired.append(rounds)
    result["timing_available"] = True
    perf_case.task_summary(result, paired, plans[0].seed)


def run_request(path):
    import sandbox

    protections = sandbox.protect_judge()
    try:
        import torch  # noqa: F401 - imported once, before the fork, for both processes
    except ImportError:
        pass  # resolve_device() reports it
    import candidate_client
    import child_process
    import yardstick_process

    # Forked before the request is read (the candidate's process never holds it) and
    # before anything touches the GPU (each starts its own context). The yardstick's
    # processes are the judge's to keep: not counted or killed as the candidate's.
    child = candidate_client.CandidateProcess()
    yardstick = child_process.ChildProcess(yardstick_process.serve)
    yardstick.name = "the yardstick process"
    child.spare.add(yardstick.pid)
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
        evaluate(request, progress, result, child, yardstick, gpu)
    except EvaluationFailure as f:
        set_failure(result, f.kind, f.message)
    except Exception as e:  # a bug in the harness or task, reported, not hidden
        result["failure_kind"] = "HARNESS_ERROR"
        result["message"] = f"harness error: {e!r}\n{traceback.format_exc()[-3000:]}"
    # Nothing the candidate started may outlive it and touch the result.
    child.close()
    yardstick.quit()
    sandbox.kill_descendants(os.getpid())
    yardstick.close_pipes()
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
