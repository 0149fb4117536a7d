"""Replays a measured campaign's GPU-lock sections against gpu_lock.GpuLock, with sleeps
in place of the work, to compare lock policies without a GPU.

Each result of the campaign's results.jsonl becomes a script of sections from what the
worker recorded (stage_seconds, per-case compile_ms, TIMEOUT compiles at their limit):
time outside the lock, short shared sections (reference outputs, correctness calls,
checks), and per performance case a compile (a shared section, marked long or not),
the timed section (exclusive) and a short shared section (collect, compare). JOBS
processes take the tasks in the campaign's order, as `evaluate --jobs` does, and the
whole replay runs SCALE times faster than the campaign did. Reported: the replay's wall
time per policy (in campaign seconds), and a check that no exclusive section overlapped
any other section. The model is coarse (it knows totals per task, not the order of every
section), so compare policies with each other, and the old policy's replay with the
campaign's own wall time, not with a future campaign.

    python3 harness/python/gpu_lock_bench.py RESULTS_JSONL [--tasks=FILE] [--jobs=8] [--scale=40] \
        [--other_lock=OLD_gpu_lock.py]

--other_lock replays another implementation too (`git show <commit>:harness/python/gpu_lock.py`),
with the same scripts.
"""

import argparse
import importlib.util
import json
import multiprocessing
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gpu_lock  # noqa: E402
from baselines import FIRST_CALL_LIMIT_S  # noqa: E402 - a TIMEOUT compile ran to its limit

SHORT_SECTIONS_BEFORE_TIMING = 6  # reference outputs and correctness calls, split evenly


def script(result):
    """[(kind, seconds)] for one task: kind is "cpu", "shared", "long", "exclusive"."""
    st = result.get("stage_seconds", {})
    perf = result.get("performance", [])
    compiles = []
    timed_out = False
    for p in perf:
        s = 0.0
        for b in p.get("baselines", []):
            if b.get("failure_kind") == "TIMEOUT":
                s += 0.0 if timed_out else FIRST_CALL_LIMIT_S[b["name"]]  # not tried again at later cases
                timed_out = True
            else:
                s += b.get("compile_ms", 0.0) / 1e3
        compiles.append(s)
    shared = st.get("gpu_shared_held", 0.0)
    exclusive = st.get("gpu_exclusive_held", 0.0)
    other_shared = max(0.0, shared - sum(compiles))
    cpu = max(0.0, result.get("wall_seconds", 0.0) - st.get("gpu_lock_wait", 0.0) - shared - exclusive)
    steps = [("cpu", cpu * 0.4)]
    before = other_shared * (0.5 if perf else 1.0)
    steps += [("shared", before / SHORT_SECTIONS_BEFORE_TIMING)] * SHORT_SECTIONS_BEFORE_TIMING
    n = len(perf)
    for c in compiles:
        steps += [("cpu", cpu * 0.6 / n), ("long", c), ("exclusive", exclusive / n),
                  ("shared", (other_shared - before) / n)]
    if not perf:
        steps.append(("cpu", cpu * 0.6))
    return steps


def run_worker(lock_class, lock_path, queue, scale, mark_long, log_path):
    lock = lock_class(lock_path)
    spans = []
    while True:
        item = queue.get()
        if item is None:
            break
        for kind, seconds in item:
            if seconds <= 0:
                continue
            if kind == "cpu":
                time.sleep(seconds / scale)
                continue
            if kind == "exclusive":
                section = lock.exclusive()
            else:  # an --other_lock may predate `long`
                section = lock.shared(long=True) if mark_long and kind == "long" else lock.shared()
            with section:
                start = time.monotonic()
                time.sleep(seconds / scale)
                spans.append((start, time.monotonic(), kind == "exclusive"))
    with open(log_path, "w") as f:
        json.dump({"spans": spans, "seconds": lock.seconds}, f)


def replay(lock_class, scripts, jobs, scale, mark_long):
    """(wall seconds at campaign scale, lock seconds summed over workers, overlaps)."""
    folder = tempfile.mkdtemp(prefix="gpu-lock-bench-")
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    for s in scripts:
        queue.put(s)
    for _ in range(jobs):
        queue.put(None)
    logs = [os.path.join(folder, f"worker{i}.json") for i in range(jobs)]
    started = time.monotonic()
    procs = [ctx.Process(target=run_worker,
                         args=(lock_class, os.path.join(folder, "gpu.lock"), queue, scale, mark_long, log))
             for log in logs]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = (time.monotonic() - started) * scale
    spans, totals = [], {}
    for i, path in enumerate(logs):
        with open(path) as f:
            data = json.load(f)
        spans += [(a, b, excl, i) for a, b, excl in data["spans"]]
        for k, v in data["seconds"].items():
            totals[k] = totals.get(k, 0.0) + v * scale
    return wall, totals, overlaps(spans)


def overlaps(spans):
    """Exclusive sections that overlapped another worker's section (must be 0)."""
    spans.sort()
    bad = 0
    for k, (a, b, excl, who) in enumerate(spans):
        for a2, b2, excl2, who2 in spans[k + 1:]:
            if a2 >= b:
                break
            if (excl or excl2) and who != who2:
                bad += 1
    return bad


def load(results_path, tasks_path):
    with open(results_path) as f:
        results = {r["task_id"]: r for r in map(json.loads, f) if r.get("task_id")}
    if tasks_path:
        with open(tasks_path) as f:
            order = [os.path.basename(line.strip().rstrip("/")) for line in f if line.strip()]
        return [results[t] for t in order if t in results]
    return list(results.values())


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a campaign's results.jsonl (harness 0.6.0 or later: stage_seconds, compile_ms)")
    parser.add_argument("--tasks", help="the campaign's task list, in its order (default: the file's order)")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--scale", type=float, default=40.0, help="replay this many times faster")
    parser.add_argument("--other_lock", help="another gpu_lock.py to replay too, e.g. an earlier version")
    args = parser.parse_args(argv)
    results = load(args.results, args.tasks)
    if not results:
        sys.exit(f"{args.results}: no results")
    scripts = [script(r) for r in results]
    measured = sum(r.get("wall_seconds", 0.0) for r in results)
    print(f"{len(results)} tasks; the campaign's workers spent {measured:.0f} s in all "
          f"({measured / args.jobs:.0f} s of wall time at {args.jobs} jobs, if never idle)")
    policies = []
    if args.other_lock:
        spec = importlib.util.spec_from_file_location("other_gpu_lock", args.other_lock)
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        policies.append((args.other_lock, other.GpuLock, False))
    policies += [("this gpu_lock, no section marked long", gpu_lock.GpuLock, False),
                 ("this gpu_lock, compiles marked long", gpu_lock.GpuLock, True)]
    print("| lock | replay wall (campaign s) | lock wait (worker s) | shared held | exclusive held | overlaps |")
    print("|---|---|---|---|---|---|")
    bad = 0
    for name, lock_class, mark_long in policies:
        wall, totals, overlapped = replay(lock_class, scripts, args.jobs, args.scale, mark_long)
        bad += overlapped
        print(f"| {name} | {wall:.0f} | {totals.get('gpu_lock_wait', 0):.0f} | {totals.get('gpu_shared_held', 0):.0f} "
              f"| {totals.get('gpu_exclusive_held', 0):.0f} | {overlapped} |", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
