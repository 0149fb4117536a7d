#!/usr/bin/env python3
"""Which tasks of a suite have their ground truth timed on a GPU, and how fast: one row
per task, from the newest run record (among those given) that timed it.

    tools/gpu_host/coverage_table.py --suite=suites/tritonbench_revised [--category=attention ...] \
        RUN_DIR [RUN_DIR ...] > COVERAGE.md

A task's row shows the device and harness version of that record and, for each of its
performance cases, the ground truth's median latency, the PyTorch reference's ("eager")
latency where the run timed it, and the achieved GB/s and TFLOP/s. Tasks that no record
timed are listed after the table (with the last failure a record gave, if any), so that
the next measurement can take what is left. Reads only task files and run records; measures
nothing.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summarize_runs import load, task_specs  # noqa: E402 - the one reader of run folders and specs


def task_categories(suite_dir):
    """{task id: category} from each task folder's task.textproto."""
    return {spec["id"] or name: spec["category"] or ""
            for name, spec in task_specs(suite_dir, ("id", "category"))}


def newest_results(run_dirs, suite):
    """({task: (record, result)} newest timed result per task, {task: failure text})."""
    timed, failed = {}, {}
    records = sorted((load(d) for d in run_dirs), key=lambda r: r.get("started_at", ""))
    for rec in records:
        if os.path.basename(rec.get("suite", "").rstrip("/")) != suite or \
                rec.get("configuration", "ground_truth") != "ground_truth":
            continue  # another suite, or a baseline's record (baselines/split_runs.py)
        for res in rec.get("results", []):
            task = res.get("task_id", "")
            if res.get("execution_ok") and res.get("performance"):
                timed[task] = (rec, res)
                failed.pop(task, None)
            elif task not in timed:
                first = (res.get("message") or "").splitlines()
                failed[task] = f"{res.get('failure_kind', '?')}" + (f": {first[0][:140]}" if first else "")
    return timed, failed


def case_cell(perf):
    gt = perf["ground_truth"]["median_ms"]
    eager = perf.get("reference", {}).get("median_ms")
    return (f"{perf['case_name']}: {gt:.4f} ms" + (f" (eager {eager:.4f})" if eager else "") +
            f", {perf.get('ground_truth_gbps', 0.0):.0f} GB/s, {perf.get('ground_truth_tflops', 0.0):.1f} TFLOP/s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--suite", required=True, help="the suite's folder, e.g. suites/tritonbench_revised")
    parser.add_argument("--category", action="append", default=[],
                        help="only tasks of this category (repeatable); default: every task")
    args = parser.parse_args()

    categories = task_categories(args.suite)
    if not categories:
        sys.exit(f"{args.suite}: no task folders with a task.textproto")
    wanted = {t: c for t, c in categories.items() if not args.category or c in args.category}
    unknown = sorted(set(args.category) - set(categories.values()))
    if unknown:
        sys.exit(f"unknown category {unknown}; the suite has {sorted(set(categories.values()))}")
    timed, failed = newest_results(args.runs, os.path.basename(args.suite.rstrip("/")))

    done = [t for t in wanted if t in timed]
    print(f"{len(done)} of {len(wanted)} tasks timed"
          + (f" (categories: {', '.join(args.category)})" if args.category else "") + "\n")
    print("| task | category | device | harness | perf cases: GT median (eager), GT GB/s, GT TFLOP/s |")
    print("|---|---|---|---|---|")
    for task in sorted(done):
        rec, res = timed[task]
        env = rec.get("environment", {})
        cells = "<br>".join(case_cell(p) for p in res["performance"])
        print(f"| {task} | {wanted[task]} | {env.get('device_name', '?')} | {rec.get('harness_version', '?')} | {cells} |")
    missing = sorted(t for t in wanted if t not in timed)
    if missing:
        print(f"\nNot timed ({len(missing)}):\n")
        for task in missing:
            print(f"- {task}" + (f": {failed[task]}" if task in failed else ": no record"))


if __name__ == "__main__":
    main()
