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

This file holds the order of an evaluation (evaluate) and the process's life
(run_request); judge_task.py the task's side (inputs, reference outputs, hidden checks),
judge_calls.py one checked call, perf_case.py one timed case.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import verdicts  # noqa: E402
from failures import EvaluationFailure, copy_failure, record_failure  # noqa: E402
from judge_task import Check, Task, check_baseline, hidden_checks, resolve_device  # noqa: E402
from progress import Progress, process_age  # noqa: E402


def first_failure(cases):
    """The case that decides the verdict: the first failed comparison, else the first
    rejection by a check."""
    failed = [c for c in cases if not c["passed"]]
    plain = [c for c in failed if c.get("failure_kind") != verdicts.REJECTED_BY_CHECK]
    return (plain or failed or [None])[0]


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
        raise EvaluationFailure(verdicts.IMPORT_ERROR, f"cannot read candidate {request['candidate_path']}: {e}")
    progress("setup")
    device = resolve_device(settings.get("device", "auto"))
    result["device"] = device
    if spec.get("upstream"):  # a task imported from GEAK-eval (tools/import_upstream)
        import upstream_judge

        return upstream_judge.evaluate(request, progress, result, child, yardstick, gpu, device)
    import environment

    missing = sorted(set(spec.get("required_features", [])) - environment.supported_features(device))
    unsupported = EvaluationFailure(verdicts.UNSUPPORTED, environment.unsupported_reason(missing, device))
    # The baseline is plain PyTorch: checked even where the device cannot run the kernel.
    if missing and not settings.get("check_baseline"):
        raise unsupported
    progress("load task")
    import gpu_lock

    task = Task(spec, request["task_dir"], device, gpu if device == "gpu" else gpu_lock.GpuLock(""))
    drawn = [(case, seed) for case in spec.get("correctness_cases", []) for seed in case.get("seeds", [])]
    if not drawn:
        raise EvaluationFailure(verdicts.HARNESS_ERROR, "the task has no correctness case with a seed")
    first_args = task.make_cpu_args(*drawn[0])
    read_only = task.read_only_args(first_args)
    perf_cases = spec.get("performance_cases", []) if device == "gpu" else []

    import baselines

    wanted = list(settings.get("baselines", []))
    if baselines.unknown(wanted):
        raise EvaluationFailure(verdicts.HARNESS_ERROR, f"unknown baseline(s) {baselines.unknown(wanted)}; "
                                                        f"known: {sorted(baselines.NAMES)}")
    # The yardstick loads (imports, the ground truth's module, its GPU context) while
    # the judge computes the reference outputs, unless other evaluations share the GPU:
    # then its start waits for a shared section of the lock, as GPU work must. Either
    # way it loads before any code of the candidate's runs.
    yardstick_start = None
    if perf_cases and not missing:
        yardstick_start = {
            "op": "start", "task_dir": request["task_dir"], "entry_point": spec["entry_point"],
            "device": device, "dir": tempfile.mkdtemp(prefix="yardstick-", dir=os.getcwd()), "baselines": wanted,
            "triton_cache_dir": settings.get("trusted_triton_cache_dir", ""),
            "time_reference": bool(settings.get("time_reference")), "read_only": read_only}
        if not task.gpu.path:
            yardstick.send(yardstick_start)
    progress("reference outputs")
    checks = [Check(task, case, seed, cpu_args=first_args if i == 0 else None)
              for i, (case, seed) in enumerate(drawn)]
    if settings.get("check_baseline"):
        progress("baseline check")
        check_baseline(task, checks)
    if missing:
        raise unsupported
    hidden = hidden_checks(task, spec, salt)
    memory = 0
    if device == "gpu":
        import torch

        memory = torch.cuda.get_device_properties(torch.cuda.current_device()).total_memory
    plans = [perf_case.PerfPlan(task, case, Check, salt, memory) for case in perf_cases]
    if device == "gpu":
        torch.cuda.empty_cache()  # the GPU's memory is the candidate's from here on

    if yardstick_start:
        # Loaded before the candidate: no code of the candidate's has run yet.
        progress("load yardstick")
        if task.gpu.path:
            with task.gpu.shared():
                perf_case.ask(yardstick, yardstick_start)
        else:
            perf_case.collect(yardstick, yardstick_start)
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
            case = {"case_name": check.label, "seed": check.seed, "passed": False}
            result["cases"].append(record_failure(case, f.kind, f.message))
            raise
        if check is checks[-1] and first_failure(result["cases"]):
            break  # no hidden checks for a candidate that already failed
    result["call_ok"] = True
    failed = first_failure(result["cases"])
    if failed:
        copy_failure(result, failed)
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
            perf, failed_check, rounds = perf_case.time_case(task, child, yardstick, files, plan, settings, progress)
        except EvaluationFailure:
            result["call_ok"] = result["execution_ok"] = False
            raise
        if failed_check:
            result["execution_ok"] = False
            result["cases"].append(failed_check)
            copy_failure(result, failed_check)
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
    # The interpreter's start, the torch import and the forks, before the first stage.
    progress.add("start-up", process_age())
    result = {"task_id": request.get("task", {}).get("id", ""),
              "candidate_path": request.get("candidate_path", ""),
              "call_ok": False, "execution_ok": False, "failure_kind": verdicts.NONE, "cases": [],
              "performance": [], "timing_available": False}
    import gpu_lock

    gpu = gpu_lock.GpuLock(request.get("settings", {}).get("gpu_lock_path", ""))
    try:
        evaluate(request, progress, result, child, yardstick, gpu)
    except EvaluationFailure as f:
        record_failure(result, f.kind, f.message)
    except Exception as e:  # a bug in the harness or task, reported, not hidden
        result["failure_kind"] = verdicts.HARNESS_ERROR
        result["message"] = f"harness error: {e!r}\n{traceback.format_exc()[-3000:]}"
    last_stage = progress.stage
    progress("teardown")
    # Nothing the candidate started may outlive it and touch the result.
    child.close()
    yardstick.quit()
    sandbox.kill_descendants(os.getpid())
    yardstick.close_pipes()
    result["stage_seconds"] = progress.totals()
    if gpu.path and result.get("device") == "gpu":
        result["stage_seconds"].update(gpu.seconds)
    result["isolation"] = protections + result.get("isolation", [])
    result["last_stage"] = last_stage
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
        # The result is written: skip the interpreter's teardown of torch and triton
        # (a few tenths of a second, and nothing in it matters now).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    else:
        parser.error("give --request or --probe")


if __name__ == "__main__":
    main()
