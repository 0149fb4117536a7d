"""One performance case, as the judge runs it (GPU): the candidate checked at full
size, then timed against the yardstick, then its timed outputs checked and its GPU
time split by kernel origin.

Two processes are timed, never one beside the other: the candidate process times the
candidate; the yardstick process (yardstick_process.py), which never imported the
candidate, times the ground truth, the baselines and, if asked, the reference. Both
use timed_calls.TimedCalls on the same draws of the case's inputs. The judge holds the
GPU to itself (gpu_lock exclusive) for the timed part, and runs ROUNDS rounds in which
each process makes its share of its calls. The order of the two processes within a round
is drawn at random. While the yardstick times, the candidate process is stopped.
Clock and temperature drift over the measurement thus falls on both sides alike, and
the speedup's interval comes from resampling the paired rounds
(timing.paired_speedup_interval).

Afterwards the outputs of the pure calls (one per draw, timed like the others: see
timed_calls.py) are compared with the reference's outputs for those draws
(REJECTED_BY_CHECK timing_outputs), the timing is sanity-checked (timing_sanity), and
one call is profiled: where PyTorch compute kernels did most of the GPU work, the
candidate is rejected as mostly_torch (kernel_share.py).
"""

import math
import os
import random
import statistics
import time

import judge_calls
import verdicts
from failures import EvaluationFailure

# Rounds per case: each process's calls are split over them.
ROUNDS = 10
# The draws must fit beside their buffers in both timing processes: with inputs larger
# than this share of the device's memory per copy, one draw is timed instead of two.
DRAWS_MEMORY_SHARE = 0.08


def salted(seed, salt):
    """A seed for a draw the spec does not list: `seed` itself without a salt."""
    if not salt:
        return int(seed)
    return (int(seed) * 0x9E3779B97F4A7C15 ^ int(salt) * 0xC2B2AE3D27D4EB4F) % (1 << 63)


class PerfPlan:
    """What a performance case needs from the reference, computed before the candidate
    runs (so that a candidate holding the GPU's memory cannot starve the judge): the
    full-size check and the draws the timing rotates through, each with the reference's
    outputs (the check's draw is the first of them)."""

    def __init__(self, task, case, check_type, salt=0, device_memory=0):
        name = case.get("name", "")
        seed = salted(int((case.get("seeds") or [1_000_003])[0]), salt)
        self.case = case
        self.seed = seed
        self.check = check_type(task, case, seed, label="perf:" + name)
        final = check_type(task, case, seed ^ 0xA5A5A5A5, label="timing:" + name)
        differ = layout_differences(self.check.cpu_args, final.cpu_args)
        if differ:
            # The draws are written into the same buffers in place.
            raise EvaluationFailure(verdicts.HARNESS_ERROR, (
                f"make_inputs() gives performance case '{name}' different shapes for different seeds "
                f"({differ}); a performance case's shapes must follow from its dims and params alone"))
        self.draws = [self.check, final]
        if device_memory and 3 * input_bytes(self.check.cpu_args) > DRAWS_MEMORY_SHARE * device_memory:
            self.draws = [final]


def input_bytes(args):
    import torch

    return sum(a.untyped_storage().nbytes() for a in args if isinstance(a, torch.Tensor))


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


def ask(yardstick, msg):
    """A request to the yardstick. Its failures are the harness's or the task's, not
    the candidate's (HARNESS_ERROR), except running out of device memory beside the
    candidate's process, which may be holding it (OUT_OF_MEMORY)."""
    yardstick.send(msg)
    return collect(yardstick, msg)


def collect(yardstick, msg):
    """The yardstick's reply to `msg`, sent earlier with yardstick.send; failures as
    in ask()."""
    try:
        return yardstick.reply()
    except EvaluationFailure as f:
        kind = verdicts.OUT_OF_MEMORY if f.kind == verdicts.OUT_OF_MEMORY else verdicts.HARNESS_ERROR
        raise EvaluationFailure(kind, f"the yardstick process ({msg.get('op')}): {f.kind}: {f.message}")


def split_calls(planned, rounds):
    """[calls in round r for r in range(rounds)]: `planned` spread evenly, the first
    rounds taking the remainder."""
    base, extra = divmod(int(planned), rounds)
    return [base + (1 if r < extra else 0) for r in range(rounds)]


def time_case(task, child, yardstick, files, plan, settings, progress=None):
    """Checks the candidate at this performance shape, times it against the yardstick,
    checks the outputs of the pure timed calls and the timing, and profiles one call.
    Returns (PerformanceResult dict or None, failed CaseResult dict or None, the
    case's paired rounds [(yardstick's ground-truth times, candidate's times)] for the
    task's interval)."""
    import torch

    import baselines
    import kernel_share
    import timing

    case = plan.case
    name = case.get("name", "")
    # Sub-stages of the case, for EvaluationResult.stage_seconds.
    stage = progress or (lambda label: None)
    result = judge_calls.run_check(task, child, files, plan.check)
    if not result["passed"]:
        return None, result, []
    draws_path = os.path.join(files.dir, "draws.pt")
    ours = os.path.join(files.dir, "yardstick-outputs.pt")
    flush = settings.get("flush_l2", True)
    warmup = {"warmup_ms": int(settings.get("warmup_ms") or 50),
              "repetitions": int(settings.get("timing_repetitions") or 100)}
    stage(f"timing draws '{name}'")
    # The yardstick reads its draws while the candidate is stopped: nothing of the
    # candidate's can change the file between its writing and its reading.
    with child.stopped():
        torch.save([c.cpu_args for c in plan.draws], draws_path)
        ask(yardstick, {"op": "read", "draws": draws_path})
    child.request({"op": "read", "draws": draws_path})
    os.unlink(draws_path)
    stage(f"timing first calls '{name}'")
    # torch.compile's first call on this case's shapes (seconds, up to its limit): long.
    with task.gpu.shared(long=baselines.compiles(settings.get("baselines", []))), child.stopped():
        staged = ask(yardstick, {"op": "stage", "flush_l2": flush, "seed": plan.seed})
    with task.gpu.shared():
        child.request({"op": "stage", "flush_l2": flush, "seed": plan.seed,
                       "slack_cycles": staged.get("slack_cycles") or None})
    stage(f"timing rounds '{name}'")
    with task.gpu.exclusive():
        with child.stopped():
            ours_plan = ask(yardstick, {"op": "warmup", **warmup})["plan"]
        theirs_plan = child.request({"op": "warmup", **warmup})["plan"]
        rounds = max(1, min(ROUNDS, max(p["planned"] for p in list(ours_plan.values()) + list(theirs_plan.values()))))
        ours_calls = {n: split_calls(p["planned"], rounds) for n, p in ours_plan.items()}
        theirs_calls = split_calls(theirs_plan["candidate"]["planned"], rounds)
        order = random.Random(plan.seed)
        times = {n: [] for n in list(ours_plan) + ["candidate"]}  # name -> [[ms per call] per round]
        wall_ms = {"yardstick": [], "candidate": []}  # the judge's clock around each round
        for r in range(rounds):
            last = r == rounds - 1
            for side in order.sample(("yardstick", "candidate"), 2):
                if side == "yardstick":
                    with child.stopped():
                        started = time.perf_counter()
                        got = ask(yardstick, {"op": "round", "last": last,
                                                 "calls": {n: c[r] for n, c in ours_calls.items()}})["times"]
                else:
                    started = time.perf_counter()
                    got = child.request({"op": "round", "calls": theirs_calls[r], "last": last})["times"]
                wall_ms[side].append((time.perf_counter() - started) * 1e3)
                for n, ms in got.items():
                    times[n].append(ms)
        with child.stopped():
            ours_sanity = ask(yardstick, {"op": "sanity"})
        theirs_sanity = child.request({"op": "sanity"})
    stage(f"timing profile '{name}'")
    with task.gpu.shared():
        profiled = child.request({"op": "profile"})
        child.request({"op": "collect"})
        with child.stopped():
            ask(yardstick, {"op": "collect"})
    stage(f"timing outputs '{name}'")
    child.request({"op": "write", "outputs": files.outputs})
    outputs = files.read_outputs()["draws"]
    with child.stopped():
        ask(yardstick, {"op": "write", "outputs": ours})
        baseline_outputs = torch.load(ours, weights_only=True)
        os.unlink(ours)

    failed = {"passed": False, "failure_kind": verdicts.REJECTED_BY_CHECK}
    for check, got in zip(plan.draws, outputs):
        try:
            task.compare(got, check.expected)
        except EvaluationFailure as f:
            failed.update(case_name=check.label, seed=check.seed, check=verdicts.TIMING_OUTPUTS,
                          message=f"case '{check.label}': the outputs of the timed calls are wrong: {f.message}")
            return None, failed, []

    flops = float(case.get("flops", 0.0))
    nbytes = float(case.get("bytes", 0.0)) or default_bytes(plan.check.cpu_args, plan.check.expected)
    stats = {n: dict(timing.summarize([ms for r in rounds_ms for ms in r]),
                     first_call_ms=(theirs_plan if n == "candidate" else ours_plan)[n]["first_call_ms"])
             for n, rounds_ms in times.items()}
    out = {"case_name": name, "flops": flops, "bytes": nbytes, "timing_rounds": rounds}
    for who in ("candidate", "ground_truth", "reference"):
        if who in stats:
            out[who] = stats[who]
            out[who + "_tflops"], out[who + "_gbps"] = timing.throughput(flops, nbytes, stats[who]["median_ms"])
    out["speedup"] = out["ground_truth"]["median_ms"] / out["candidate"]["median_ms"]
    paired = [(g, c) for g, c in zip(times["ground_truth"], times["candidate"]) if g and c]
    out["speedup_ci_low"], out["speedup_ci_high"] = timing.paired_speedup_interval([paired], seed=plan.seed)
    first_call_ms = staged.get("baseline_first_call_ms", {})
    out["baselines"] = [baseline_timing(task, plan, n, stats[n], baseline_outputs.get(n), flops, nbytes,
                                        first_call_ms.get(n, 0.0))
                        for n in stats if n in first_call_ms]
    out["baselines"] += [{"name": n, "failure_kind": f["failure_kind"], "outputs_ok": False,
                          "message": f"{f['failure_kind']} at its first call: {f['message']}"}
                         for n, f in staged.get("baseline_failures", {}).items()]
    out["candidate_unreported_ms"] = unreported_ms(times, wall_ms)
    excess = {"candidate": theirs_sanity.get("wall_excess_ms", 0.0),
              "ground_truth": ours_sanity.get("wall_excess_ms", 0.0)}
    out["candidate_wall_excess_ms"] = excess["candidate"]
    out["copy_bandwidth_gbps"] = ours_sanity.get("copy_gbps", 0.0)
    failed.update(case_name=name, seed=plan.seed)
    problem = timing_problem(out, excess)
    if problem:
        failed.update(check=verdicts.TIMING_SANITY, message=f"case '{name}': {problem}")
        return None, failed, []
    if profiled.get("share"):
        out["candidate_time_share"] = profiled["share"]
        problem = kernel_share.problem(profiled["share"])
        if problem:
            failed.update(check=verdicts.MOSTLY_TORCH, message=f"case '{name}': {problem}")
            return None, failed, []
    else:
        out["_triton_share_unavailable"] = profiled.get("reason", "not measured")
    return out, None, paired


def baseline_timing(task, plan, name, stats, outputs, flops, nbytes, compile_ms):
    """A BaselineTiming dict: latency, throughput, compile time (its first call on this
    case's shapes, made before timing) and whether its outputs on each draw match the
    reference."""
    import timing

    tflops, gbps = timing.throughput(flops, nbytes, stats["median_ms"])
    out = {"name": name, "latency": stats, "tflops": tflops, "gbps": gbps,
           "compile_ms": compile_ms, "outputs_ok": False}
    try:
        if not outputs or len(outputs) != len(plan.draws):
            raise EvaluationFailure(verdicts.WRONG_OUTPUT_STRUCTURE, "no outputs came back")
        for check, got in zip(plan.draws, outputs):
            task.compare(got, check.expected)
        out["outputs_ok"] = True
    except EvaluationFailure as f:
        out["message"] = f"{f.kind}: {f.message}"
    return out


def unreported_ms(times, wall_ms):
    """Per timed call: the judge's wall time beyond the reported times, the candidate's
    less the yardstick's (see PerformanceResult.candidate_unreported_ms): the median over
    the rounds but the last (whose pure calls copy their outputs aside) of each side's
    gap per call. `wall_ms`: per side, the judge's wall time of each round."""
    def median_gap(names, side):
        rounds = len(wall_ms[side])
        gaps = []
        for r in range(max(1, rounds - 1)):
            reported = [ms for n in names for ms in (times[n][r] if r < len(times[n]) else [])]
            if reported:
                gaps.append((wall_ms[side][r] - sum(reported)) / len(reported))
        return statistics.median(gaps) if gaps else 0.0

    ours = [n for n in times if n != "candidate"]
    return median_gap(["candidate"], "candidate") - median_gap(ours, "yardstick")


def timing_problem(perf, excess):
    """Why the candidate's timing cannot be right, or "" when it can. (The judge's wall
    clock around the rounds, candidate_unreported_ms, is recorded for audit, not
    judged: besides a faked timer it holds any per-call work in the harness's code that
    differs between the two processes.)"""
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


def task_summary(result, rounds_by_case, seed):
    """Fills the task-level speedup (geometric mean over cases), its interval and the
    Triton share (time-weighted over cases) into the result dict."""
    import timing

    perf = result["performance"]
    speedups = [p["speedup"] for p in perf]
    result["speedup"] = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
    result["speedup_ci_low"], result["speedup_ci_high"] = timing.paired_speedup_interval(rounds_by_case, seed=seed)
    shares = [p["candidate_time_share"] for p in perf if p.get("candidate_time_share")]
    missing = [p.pop("_triton_share_unavailable") for p in perf if "_triton_share_unavailable" in p]
    if missing:
        result["triton_share_unavailable_reason"] = missing[0]
    elif shares:
        triton = sum(s["triton_ms"] for s in shares)
        compute = triton + sum(s["torch_compute_ms"] for s in shares)
        result["triton_share"] = triton / compute if compute > 0 else 1.0
