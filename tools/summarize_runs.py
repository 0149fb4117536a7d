#!/usr/bin/env python3
"""Per-task table of ground-truth timings from run records (tools/evaluate --out).

    tools/summarize_runs.py RUN_DIR [RUN_DIR ...] > SUMMARY.md

Several run folders of the same suite are repeats: each perf case shows the median of
the runs' medians and the spread (max - min) / median across runs. Columns: ground
truth latency, achieved GB/s and TFLOP/s, the share of the copy bandwidth measured on
the device (--copy_gbps), the PyTorch reference's ("eager") latency when the runs
timed it (--time_reference), and ground truth's speedup over it. The roofline column is
the larger of the two fractions of the device's ceilings a kernel reaches: bytes over the
copy bandwidth the harness measured on that device (recorded with every case), and
FLOPs over --peak_tflops (default: an H100/H200's dense 16-bit matrix rate by the
datasheet, 989 TFLOP/s, so an fp32 kernel's share reads low). Tasks that failed are
listed after the table with their verdict. Reads only the run records; measures nothing.
"""

import argparse
import json
import os
import statistics
import sys


def load(run_dir):
    """The run record; for a run cut short before its record was finished (no results
    in it), the results from its results.jsonl, appended as each task finished."""
    path = os.path.join(run_dir, "run_record.json")
    try:
        with open(path) as f:
            record = json.load(f)
        if not record.get("results") and os.path.exists(os.path.join(run_dir, "results.jsonl")):
            with open(os.path.join(run_dir, "results.jsonl")) as f:
                record["results"] = [json.loads(line) for line in f if line.strip()]
            record["unfinished"] = True
        return record
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: cannot read run record: {e}")


def fmt_ms(x):
    return f"{x:.4f}" if x is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--copy_gbps", type=float, default=0.0,
                        help="device copy bandwidth (read + write) for the %%BW column; default: "
                             "the one measured in the runs")
    parser.add_argument("--peak_tflops", type=float, default=989.0,
                        help="device matrix peak for the roofline column (TFLOP/s)")
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

    measured = [p.get("copy_bandwidth_gbps", 0.0) for ps in perf.values() for p in ps]
    measured = [m for m in measured if m > 0]
    copy_gbps = args.copy_gbps or (statistics.median(measured) if measured else 3000.0)
    unfinished = sum(1 for r in records if r.get("unfinished"))
    print(f"Runs: {len(records)}{f' ({unfinished} cut short: results from results.jsonl)' if unfinished else ''}; "
          f"device(s): {'; '.join(sorted(envs))}")
    print(f"Ceilings: copy bandwidth {copy_gbps:.0f} GB/s "
          f"({'given' if args.copy_gbps else 'median measured by the harness'}), "
          f"matrix peak {args.peak_tflops:.0f} TFLOP/s\n")
    print("| suite | task | perf case | GT median ms | spread | GT GB/s | %BW | GT TFLOP/s "
          "| roofline | eager ms | GT speedup over eager |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
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
        roofline = max(gbps / copy_gbps, tflops / args.peak_tflops)
        print(f"| {suite} | {task} | {case} | {fmt_ms(med)}{f' ({runs})' if runs else ''} | "
              f"{100 * spread:.1f}% | {gbps:.0f} | {100 * gbps / copy_gbps:.0f}% | "
              f"{tflops:.1f} | {100 * roofline:.0f}% | {fmt_ms(eager)} | {over} |")
    if failures:
        print("\nNot timed (ground truth failed):\n")
        for (suite, task), msgs in sorted(failures.items()):
            print(f"- {suite}/{task}: {msgs[0]}" + (f" (in {len(msgs)} runs)" if len(msgs) > 1 else ""))


if __name__ == "__main__":
    main()
