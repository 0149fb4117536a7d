"""The judge's side of a task imported from GEAK-eval (TaskSpec.upstream, made by
tools/import_upstream): called by worker.evaluate in place of the correctness cases.

1. The golden file (kernel.py with upstream_test.py) runs in the yardstick's process
   (upstream_candidate.GoldenSession) before anything of the candidate's: its
   `result_gold` and what the harness saw of its run.
2. The candidate, as GEAK-eval processes it (upstream_rules.strip_tests), runs with the
   same test code in the candidate's process (upstream_candidate.CandidateSession),
   confined like any candidate.
3. Two verdicts of that one run: `upstream` (EvaluationResult.upstream), by GEAK-eval's
   rules (upstream_rules.tbg_verdict / rocm_verdict), and the strict one (the rest of
   the result): the module imported and its tests ran (ROCm: no test raised, save its
   own assertion, where the golden's did not), every output matches the golden's by
   upstream_rules.strict_compare with the spec's tolerances, and, each weighed against
   what the golden run did too, no input written that the golden leaves alone (the
   test code's direct calls of the module's functions and kernels), Triton kernels
   launched and the outputs from them, no process-wide switch or harness function
   changed, no process left running.
4. On a GPU, where either verdict is correct: every performance input is timed with
   perf_case.time_case (checked once at full size, interleaved rounds with the
   yardstick, L2 flush, pure calls checked, timing sanity, kernel share), and GEAK's
   speedup (sum of the golden's medians / sum of the candidate's) is recorded beside
   the harness's geometric mean. TritonBench-revised: the inputs of the performance
   file's get_input_tensors after to_cuda, drawn by the golden side; its call_op is
   timed, with the golden's outputs and the arguments it writes as the expected
   outputs. ROCm: the kernel launch each test_performance case hands its benchmarker,
   on the inputs the case made on each side (no input refresh, nothing to compare).
"""

import os
import tempfile
import zlib

import judge_task
import verdicts
from failures import EvaluationFailure, failure_of, record_failure, rejected, split_kind

# Strict failures after which the candidate's process is not trusted to time anything.
UNTIMED_CHECKS = (verdicts.HARNESS_TAMPERING, verdicts.NETWORK, verdicts.LEFTOVER_PROCESS, verdicts.PROCESS_LIMIT)


class _PerfTask(judge_task.Task):
    """What perf_case.time_case and judge_calls.run_check use of a task, for one
    performance input: the device, the GPU lock, the comparison (judge_task.Task's), the
    arguments the golden call writes. No task files: the golden side is the yardstick's."""

    def __init__(self, device, gpu, tolerances, mutated):  # noqa: super-init-not-called
        self.device, self.gpu, self.tolerances, self.mutated = device, gpu, tolerances, set(mutated)


class _Check:
    def __init__(self, label, seed, cpu_args, expected):
        self.label, self.seed, self.cpu_args, self.expected = label, seed, cpu_args, expected


class _Plan:
    def __init__(self, name, seed, check):
        self.case, self.seed, self.check, self.draws = {"name": name}, seed, check, [check]


class _Run:
    """One side's run as its file holds it: meta (see upstream_candidate._Upstream.run)
    and the decoded result_gold."""

    def __init__(self, path, whose):
        import torch

        import upstream_values

        try:
            data = torch.load(path, weights_only=True)
            os.unlink(path)
            self.meta = data["meta"]
            self.gold = upstream_values.Decoded(data["result"])
            shapes = {"tests": list, "provenance": dict, "writes": dict, "flipped": list, "replaced": list}
            wrong = [k for k, t in shapes.items() if not isinstance(self.meta.get(k), t)]
            if wrong or any(len(t) != 3 for t in self.meta["tests"]):
                raise ValueError(f"malformed fields {wrong or ['tests']}")
        except Exception as e:  # noqa: BLE001 - the file came from another process
            kind = verdicts.HARNESS_ERROR if whose == "golden" else verdicts.WRONG_OUTPUT_STRUCTURE
            raise EvaluationFailure(kind, f"unreadable results of the {whose} run ({path}): {e!r}")


def _start_message(request, device):
    spec, task_dir = request["task"], request["task_dir"]
    perf = os.path.join(task_dir, "upstream_perf.py")
    return {"op": "start", "upstream": {"kind": spec["upstream"]["kind"], "file": spec["upstream"]["file"]},
            "tests": os.path.join(task_dir, "upstream_test.py"), "perf": perf if os.path.isfile(perf) else "",
            "device": device, "triton_cache_dir": request.get("settings", {}).get("trusted_triton_cache_dir", "")}


def upstream_verdict(kind, golden, candidate, atol, rtol):
    """(call_ok, execution_ok, message) by GEAK-eval's rules (upstream_rules.py)."""
    import upstream_rules

    error = candidate.meta.get("error")
    if kind == "ROCM":
        call = upstream_rules.rocm_call_ok(candidate.gold)
        if not call:
            why = f"{error['kind']}: {error['message']}" if error else \
                "no test reached its kernel's output (result_gold's _CALL_SUCCESS_ is not set)"
            return False, False, f"GEAK-eval's call fails: {why}"
        ok, why = upstream_rules.rocm_verdict(golden.gold, candidate.gold, atol, rtol)
    else:
        if error:
            return False, False, f"GEAK-eval's call fails: {error['kind']}: {error['message']}"
        ok, why = upstream_rules.tbg_verdict(golden.gold, candidate.gold, atol, rtol)
    return True, ok, why


def _test_error(kind, golden, candidate):
    """The candidate's first ROCm test that raised (not an assertion) where the golden's
    did not, as an EvaluationFailure; None if none did."""
    if kind != "ROCM":
        return None
    golden_errors = {name for name, outcome, *_ in golden.meta.get("tests", []) if outcome == "error"}
    for name, outcome, detail in candidate.meta.get("tests", []):
        if outcome == "error" and name not in golden_errors:
            failure_kind = detail.split(":", 1)[0] if ":" in detail else verdicts.RUNTIME_ERROR
            return EvaluationFailure(failure_kind, f"test {name}: {detail.split(':', 1)[-1].strip()}")
    return None


def strict_verdict(kind, golden, candidate, tolerances, rejection=None):
    """(call_failure, failure, case): this project's verdict on the run (see the
    module's docstring). call_failure: the module did not import or a test raised;
    failure: the first reason the candidate is not correct (a plain failure before a
    check's rejection); case: the CaseResult dict."""
    import upstream_rules

    case = {"case_name": "upstream tests", "seed": 0, "passed": False}
    meta, gold_meta = candidate.meta, golden.meta
    error = meta.get("error")
    call_failure = EvaluationFailure(error["kind"], error["message"]) if error else \
        _test_error(kind, golden, candidate)
    failure = call_failure
    if failure is None:
        try:
            skip = (upstream_rules.CALL_MARK,) if kind == "ROCM" else ()
            max_abs, max_rel, frac = upstream_rules.strict_compare(golden.gold, candidate.gold, tolerances, skip)
            case.update(max_abs_error=max_abs, max_rel_error=max_rel, mismatch_fraction=frac)
        except EvaluationFailure as f:
            failure = f
    if failure is None:
        failure = _mutation(meta, gold_meta) or rejection or _rejection(meta, gold_meta)
    if failure is None:
        case.update(passed=True, failure_kind=verdicts.NONE)
    else:
        record_failure(case, failure.kind, failure.message)
    return call_failure, failure, case


def _mutation(meta, gold_meta):
    for key, labels in sorted(meta.get("writes", {}).items()):
        extra = sorted(set(labels) - set(gold_meta.get("writes", {}).get(key, labels)))
        if extra:
            return EvaluationFailure(verdicts.INPUT_MUTATED, (
                f"the test code's call of {key.split(' ', 1)[1]} ({key.split(' ', 1)[0]}) wrote {', '.join(extra)}, "
                "which the golden file's leaves unchanged"))
    return None


def _rejection(meta, gold_meta):
    replaced = [r for r in meta.get("replaced", []) if r not in gold_meta.get("replaced", [])]
    if replaced:
        return rejected(
            verdicts.HARNESS_TAMPERING, f"the run replaced function(s) the harness relies on: {', '.join(replaced)}")
    flipped = [f for f in meta.get("flipped", []) if f not in gold_meta.get("flipped", [])]
    if flipped:
        return rejected(verdicts.GLOBAL_STATE, f"the run left process-wide switch(es) changed: {'; '.join(flipped)}")
    if not meta.get("launches") and gold_meta.get("launches"):
        return rejected(verdicts.NO_TRITON_KERNEL, "the run launched no Triton kernel")
    for path, why in sorted(meta.get("provenance", {}).items()):
        if path in gold_meta.get("provenance", {}):
            continue
        if why == "not_from_triton":
            return rejected(verdicts.OUTPUT_NOT_FROM_TRITON, (
                f"{path} was computed by torch; no Triton kernel wrote it or anything it was computed from"))
        return rejected(verdicts.OUTPUT_NOT_FROM_TRITON, (
            f"{path} held a result torch computed ({why.split(' ')[-1]}) before a Triton kernel first took it in"))
    return None


def _check_golden(kind, golden):
    """HARNESS_ERROR where the golden file's own run gives nothing to judge by on this
    device (upstream test code that needs a GPU, say): an exception, no result_gold,
    or (ROCm) no test that reached its kernel's output."""
    import upstream_rules

    error = golden.meta.get("error")
    if error:
        raise EvaluationFailure(
            verdicts.HARNESS_ERROR, f"the golden file's own run failed on this device: {error['kind']}: "
            f"{error['message']}")
    if golden.gold.value is None:
        raise EvaluationFailure(verdicts.HARNESS_ERROR, "the golden file's own run left no result_gold")
    if kind == "ROCM" and not upstream_rules.rocm_call_ok(golden.gold):
        first = next((f"{name}: {detail}" for name, outcome, detail in golden.meta.get("tests", [])
                      if outcome in ("error", "failed")), "no test ran")
        raise EvaluationFailure(
            verdicts.HARNESS_ERROR, "none of the golden file's own tests reached its kernel's output on "
            f"this device; the first error: {first}"[:3000])


def evaluate(request, progress, result, child, yardstick, gpu, device):
    """Fills `result` for an upstream task (worker.evaluate's contract: raises
    EvaluationFailure for a failure that ends the evaluation)."""
    import gpu_lock
    import judge_calls
    import perf_case
    import upstream_rules

    spec = request["task"]
    kind, up = spec["upstream"]["kind"], spec["upstream"]
    tolerances = {t["dtype"]: (float(t.get("atol", 0.0)), float(t.get("rtol", 0.0))) for t in spec.get("tolerances", [])}
    verdict = result["upstream"] = {"call_ok": False, "execution_ok": False, "rules": upstream_rules.RULES[kind]}
    lock = gpu if device == "gpu" else gpu_lock.GpuLock("")
    start = _start_message(request, device)

    progress("golden run")
    golden_dir = tempfile.mkdtemp(prefix="yardstick-", dir=os.getcwd())
    with lock.shared():
        perf_case.ask(yardstick, dict(start, code=os.path.join(request["task_dir"], "kernel.py"), dir=golden_dir))
        perf_case.ask(yardstick, {"op": "run", "out": os.path.join(golden_dir, "golden.pt")})
    golden = _Run(os.path.join(golden_dir, "golden.pt"), "golden")
    _check_golden(kind, golden)

    progress("import candidate")
    files = judge_calls.Files(os.getcwd())
    try:
        with lock.shared():
            reply = child.request(dict(start, candidate=request["candidate_path"], dir=files.dir))
        result["isolation"] = reply.get("isolation", [])
        progress("upstream tests")
        rejection = None
        try:
            with lock.shared():
                child.request({"op": "run", "out": files.outputs})
        except EvaluationFailure as f:
            # A check that refused the call after it finished: its results are there.
            if not f.kind.startswith(verdicts.REJECTED_BY_CHECK) or not os.path.exists(files.outputs):
                raise
            rejection = f
        candidate = _Run(files.outputs, "candidate")
    except EvaluationFailure as f:
        verdict["message"] = f"GEAK-eval's call fails: the run did not finish: {f.kind}: {f.message}"
        raise

    verdict["call_ok"], verdict["execution_ok"], verdict["message"] = upstream_verdict(
        kind, golden, candidate, float(up.get("atol", 0.0)), float(up.get("rtol", 0.0)))
    call_failure, failure, case = strict_verdict(kind, golden, candidate, tolerances, rejection)
    result["cases"].append(case)
    result["call_ok"] = call_failure is None
    result["execution_ok"] = failure is None

    untimed = _why_untimed(device, failure, result["execution_ok"] or verdict["execution_ok"])
    if untimed:
        result["timing_unavailable_reason"] = verdict["geak_speedup_unavailable_reason"] = untimed
    else:
        failure = _time(request, result, child, yardstick, files, golden_dir, lock, tolerances, device, progress,
                        failure)
    if failure is not None:
        record_failure(result, failure.kind, failure.message)


def _why_untimed(device, failure, correct):
    if device != "gpu":
        return "no GPU: correctness ran in the Triton interpreter on the CPU; latency is measured on GPUs only"
    if not correct:
        return "not correct under either verdict"
    if failure is not None and split_kind(failure.kind)[1] in UNTIMED_CHECKS:
        return f"the candidate's process failed a check ({split_kind(failure.kind)[1]}): its timing is not trusted"
    return ""


def _time(request, result, child, yardstick, files, golden_dir, lock, tolerances, device, progress, failure):
    """Times every performance input (see the module's docstring). Returns the strict
    failure, which a performance input's check may set; a failure of the golden side
    leaves the timing unavailable and charges nobody."""
    import perf_case

    verdict = result["upstream"]
    prepare = _prepare_tbg if request["task"]["upstream"]["kind"] == "TRITONBENCH_G" else _prepare_rocm
    settings = request.get("settings", {})
    paired, skipped, seed = [], [], 0

    def stop(name, why):
        result["timing_unavailable_reason"] = f"timing stopped at case '{name}': {why}"[:2000]
        verdict["geak_speedup_unavailable_reason"] = result["timing_unavailable_reason"]

    try:
        with lock.shared():
            cases = perf_case.ask(yardstick, {"op": "perf_cases"})["cases"]
    except EvaluationFailure as f:  # the golden side's performance code failed
        result["timing_unavailable_reason"] = verdict["geak_speedup_unavailable_reason"] = (
            f"the performance inputs could not be made: {f.message}"[:2000])
        return failure
    for index, name in enumerate(cases):
        progress(f"timing case '{name}'")
        try:
            with lock.shared():
                prepared = prepare(index, name, child, yardstick, golden_dir, lock, tolerances, device)
            if isinstance(prepared, str):
                skipped.append(f"{name}: {prepared}")
                continue
            ptask, plan = prepared
            seed = seed or plan.seed
            perf, failed, rounds = perf_case.time_case(ptask, child, yardstick, files, plan, settings, progress)
        except EvaluationFailure as f:
            stop(name, f"{f.kind}: {f.message}")
            if f.kind != verdicts.HARNESS_ERROR:
                result["call_ok"] = result["execution_ok"] = False
                failure = failure or f
            return failure
        if failed:
            result["cases"].append(failed)
            result["execution_ok"] = False
            stop(name, failed["message"])
            if failure is None:
                failure = failure_of(failed)
            return failure
        result["performance"].append(perf)
        paired.append(rounds)
    if not result["performance"]:
        result["timing_unavailable_reason"] = verdict["geak_speedup_unavailable_reason"] = (
            "no performance input could be timed" + (f" ({'; '.join(skipped)})"[:1500] if skipped else ""))
        return failure
    result["timing_available"] = True
    perf_case.task_summary(result, paired, seed)
    golden_ms = sum(p["ground_truth"]["median_ms"] for p in result["performance"])
    candidate_ms = sum(p["candidate"]["median_ms"] for p in result["performance"])
    verdict["geak_speedup"] = golden_ms / candidate_ms
    return failure


def _prepare_tbg(index, name, child, yardstick, golden_dir, lock, tolerances, device):
    """Performance input `index` of a TritonBench-revised task on both sides: returns
    (task, plan) for perf_case.time_case, or why it is left out."""
    import torch

    import compare
    import perf_case

    draw = os.path.join(golden_dir, "draw.pt")
    out = os.path.join(golden_dir, "expected.pt")
    # The golden's outputs exist as a file only while the candidate's process is stopped.
    with child.stopped():
        made = perf_case.ask(yardstick, {"op": "perf_input", "index": index, "out": draw})
        if made.get("skipped"):
            return made["skipped"]
        structure = made["structure"]
        try:
            cpu_args = torch.load(draw, weights_only=True)
            golden = perf_case.ask(yardstick, {"op": "expected", "inputs": draw, "structure": structure, "out": out})
            if golden.get("skipped"):
                return golden["skipped"]
            expected = torch.load(out, weights_only=True)
        except Exception as e:  # noqa: BLE001 - an input the file format cannot carry: left out
            if isinstance(e, EvaluationFailure):
                raise
            return f"its draw or the golden outputs cannot go through a file: {type(e).__name__}: {str(e)[:300]}"
        finally:
            for path in (draw, out):
                if os.path.exists(path):
                    os.unlink(path)
    if not golden["launches"]:
        return "the golden call launched no Triton kernel at this input"
    mutated = sorted(compare.mutated_inputs(cpu_args, expected["args"], set()))
    n_out = len(expected["outputs"])

    def candidate_index(side, i):
        return i if side == "outputs" else n_out + mutated.index(i) if i in mutated else None

    exempt = {key: [j for side, idx in golden[key].items() for j in (candidate_index(side, i) for i in idx)
                    if j is not None] for key in ("not_from_triton", "laundered")}
    exempt["alias"] = any(k not in mutated for k in golden["alias_args"])
    read_only = [k for k in range(len(cpu_args)) if k not in mutated]
    perf_case.ask(yardstick, {"op": "prepare", "case": name, "structure": structure, "read_only": read_only})
    child.request({"op": "prepare", "case": name, "structure": structure, "read_only": read_only, "exempt": exempt})
    seed = zlib.crc32(name.encode()) or 1
    check = _Check("perf:" + name, seed, cpu_args, expected["outputs"] + [expected["args"][k] for k in mutated])
    return _PerfTask(device, lock, tolerances, mutated), _Plan(name, seed, check)


def _prepare_rocm(index, name, child, yardstick, golden_dir, lock, tolerances, device):
    """test_performance case `name` of a ROCm task on both sides (see _prepare_tbg)."""
    import perf_case

    golden = perf_case.ask(yardstick, {"op": "prepare", "case": name})
    if golden.get("skipped"):
        return f"the golden file's case did not reach its benchmark ({golden['skipped']})"
    mine = child.request({"op": "prepare", "case": name})
    if mine.get("skipped"):
        raise EvaluationFailure(verdicts.RUNTIME_ERROR, f"case '{name}' did not reach its benchmark with the candidate "
                                                        f"({mine['skipped']}); with the golden code it does")
    seed = zlib.crc32(name.encode()) or 1
    return _PerfTask(device, lock, tolerances, ()), _Plan(name, seed, _Check("perf:" + name, seed, [], []))
