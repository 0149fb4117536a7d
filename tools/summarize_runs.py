#!/usr/bin/env python3
"""Per-task table of ground-truth timings from run records (tools/evaluate --out).

    tools/summarize_runs.py RUN_DIR [RUN_DIR ...] > SUMMARY.md

Several run folders of the same suite are repeats: each perf case shows the median of
the runs' medians and the spread (max - min) / median across runs. Columns: ground
truth latency, achieved GB/s and TFLOP/s, the share of the copy bandwidth measured on
the device (--copy_gbps), the PyTorch reference's ("eager") latency when the runs
timed it (--time_reference), and ground truth's speedup over it. Tasks that failed are
listed after the table with their verdict. Reads only the run records; measures nothing.
"""

import argparse
import json
import os
import statistics
import sys


def load(run_dir):
    path = os.path.join(run_dir, "run_record.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: cannot read run record: {e}")


def fmt_ms(x):
    return f"{x:.4f}" if x is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--copy_gbps", type=float, default=3000.0,
                        help="device copy bandwidth (read + write) for the %%BW column")
    args = parser.parse_args()

    records = [load(d) for d in args.runs]
    # (suite, task, case) -> list over runs of the perf dict
    perf, failures, envs = {}, {}, set()
    for rec in records:
        env = rec.get("environment", {})
        envs.add(f"{env.get('device_name', '?')}, driver {env.get('driver_version', '?')}, "
                 f"torch {env.get('torch_version', '?')}, triton {env.get('triton_version', '?')}")
        suite = os.path.basename(rec.get("suite", "").rstrip("/"))
        for res in rec.get("results", []):
            task = res.get("task_id", "")
            if not res.get("execution_ok"):
                failures.setdefault((suite, task), []).append(
                    f"{res.get('failure_kind', '?')}: {res.get('message', '').splitlines()[0][:160]}"
                    if res.get("message") else res.get("failure_kind", "?"))
                continue
            for p in res.get("performance", []):
                perf.setdefault((suite, task, p["case_name"]), []).append(p)

    print(f"Runs: {len(records)}; device(s): {'; '.join(sorted(envs))}\n")
    print("| suite | task | perf case | GT median ms | spread | GT GB/s | %BW | GT TFLOP/s "
          "| eager ms | GT speedup over eager |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (suite, task, case), ps in sorted(perf.items()):
        gt = [p["ground_truth"]["median_ms"] for p in ps]
        med = statistics.median(gt)
        spread = (max(gt) - min(gt)) / med if med else 0.0
        gbps = statistics.median(p.get("ground_truth_gbps", 0.0) for p in ps)
        tflops = statistics.median(p.get("ground_truth_tflops", 0.0) for p in ps)
        ref = [p["reference"]["median_ms"] for p in ps if "reference" in p]
        eager = statistics.median(ref) if ref else None
        over = f"{eager / med:.2f}x" if eager else "-"
        runs = ", ".join(f"{x:.4f}" for x in gt) if len(gt) > 1 else ""
        print(f"| {suite} | {task} | {case} | {fmt_ms(med)}{f' ({runs})' if runs else ''} | "
              f"{100 * spread:.1f}% | {gbps:.0f} | {100 * gbps / args.copy_gbps:.0f}% | "
              f"{tflops:.1f} | {fmt_ms(eager)} | {over} |")
    if failures:
        print("\nNot timed (ground truth failed):\n")
        for (suite, task), msgs in sorted(failures.items()):
            print(f"- {suite}/{task}: {msgs[0]}" + (f" (in {len(msgs)} runs)" if len(msgs) > 1 else ""))


if __name__ == "__main__":
    main()
