#!/usr/bin/env python3
"""Per-task table of ground-truth timings from run records (tools/evaluate --out).

    tools/gpu_host/summarize_runs.py RUN_DIR [RUN_DIR ...] > SUMMARY.md

Several run folders of the same suite are repeats: each perf case shows the median of
the runs' medians and the spread (max - min) / median across runs. Columns: ground
truth latency, achieved GB/s and TFLOP/s, the share of the copy bandwidth measured on
the device (--copy_gbps), PyTorch eager's latency when the runs timed it (the
torch_eager baseline, the task's baseline(); before harness 0.8.0 the reference's own
timing, --time_reference), and ground truth's speedup over it. The roofline column is
the larger of the two fractions of the device's ceilings a kernel reaches: bytes over the
copy bandwidth the harness measured on that device (recorded with every case), and
FLOPs over --peak_tflops (default: an H100/H200's dense 16-bit matrix rate by the
datasheet, 989 TFLOP/s, so an fp32 kernel's share reads low). Tasks that failed are
listed after the table with their verdict. When the runs timed torch.compile baselines
(--baselines), a second table gives every baseline (eager included) per perf case:
latency, GB/s, TFLOP/s, roofline, compile time, and its speedup (GT latency / its own).
Reads only the run records; measures nothing.
"""

import argparse
import collections
import json
import os
import re
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


def task_specs(suite_dir, fields):
    """[(folder name, {field: value})] for every task folder under `suite_dir` (a
    subfolder with a task.textproto), in name order: each top-level string field of
    `fields` from its spec, None where the spec lacks it."""
    out = []
    for name in sorted(os.listdir(suite_dir)):
        path = os.path.join(suite_dir, name, "task.textproto")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            text = f.read()
        found = {field: re.search(rf'^{field}:\s*"([^"]+)"', text, re.M) for field in fields}
        out.append((name, {field: m.group(1) if m else None for field, m in found.items()}))
    return out


def fmt_ms(x):
    return f"{x:.4f}" if x is not None else "-"


def roofline(gbps, tflops, copy_gbps, peak_tflops):
    """The larger of the two fractions of the device's ceilings (module docstring)."""
    return max(gbps / copy_gbps, tflops / peak_tflops)


# One baseline at one perf case of one run; ms is None when it has no latency there.
BaselineRow = collections.namedtuple("BaselineRow", "name ms gbps tflops compile_ms note")


def baseline_rows(p):
    """A BaselineRow per baseline (eager first) at one perf case."""
    rows = []
    # Runs before harness 0.8.0 have no torch_eager baseline: eager was the reference's timing.
    if "reference" in p and not any(b.get("name") == "torch_eager" for b in p.get("baselines", [])):
        rows.append(BaselineRow("torch_eager", p["reference"]["median_ms"], p.get("reference_gbps", 0.0),
                                p.get("reference_tflops", 0.0), None, ""))
    for b in p.get("baselines", []):
        note = "" if b.get("outputs_ok") else (b.get("message", "") or "outputs not checked").splitlines()[0][:80]
        rows.append(BaselineRow(b["name"], b.get("latency", {}).get("median_ms"), b.get("gbps", 0.0),
                                b.get("tflops", 0.0), b.get("compile_ms"), note))
    return rows


def print_baselines(perf, copy_gbps, peak_tflops):
    """The baselines table, when some run timed a torch.compile baseline."""
    if not any(p.get("baselines") for ps in perf.values() for p in ps):
        return
    print("\nBaselines (medians over runs; speedup = GT latency / baseline latency, above 1 beats the ground truth; a baseline "
          "whose outputs did not match the reference, or that did not compile, says so):\n")
    print("| suite | task | perf case | baseline | ms | GB/s | TFLOP/s | roofline | compile s "
          "| speedup (GT ms / its ms) | note |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (suite, task, case), ps in sorted(perf.items()):
        gt = statistics.median(p["ground_truth"]["median_ms"] for p in ps)
        by_name = {}
        for p in ps:
            for row in baseline_rows(p):
                by_name.setdefault(row.name, []).append(row)
        for name, rows in by_name.items():
            timed = [r for r in rows if r.ms]
            if not timed:
                print(f"| {suite} | {task} | {case} | {name} | - | - | - | - | - | - | {rows[0].note} |")
                continue
            ms = statistics.median(r.ms for r in timed)
            gbps = statistics.median(r.gbps for r in timed)
            tflops = statistics.median(r.tflops for r in timed)
            compiles = [r.compile_ms for r in timed if r.compile_ms]
            compile_s = f"{statistics.median(compiles) / 1e3:.1f}" if compiles else "-"
            share = roofline(gbps, tflops, copy_gbps, peak_tflops)
            print(f"| {suite} | {task} | {case} | {name} | {ms:.4f} | {gbps:.0f} | {tflops:.1f} | "
                  f"{100 * share:.0f}% | {compile_s} | {gt / ms:.2f}x | {rows[0].note} |")


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
        ref = [r.ms for p in ps for r in baseline_rows(p) if r.name == "torch_eager" and r.ms]
        eager = statistics.median(ref) if ref else None
        over = f"{eager / med:.2f}x" if eager else "-"
        runs = ", ".join(f"{x:.4f}" for x in gt) if len(gt) > 1 else ""
        share = roofline(gbps, tflops, copy_gbps, args.peak_tflops)
        print(f"| {suite} | {task} | {case} | {fmt_ms(med)}{f' ({runs})' if runs else ''} | "
              f"{100 * spread:.1f}% | {gbps:.0f} | {100 * gbps / copy_gbps:.0f}% | "
              f"{tflops:.1f} | {100 * share:.0f}% | {fmt_ms(eager)} | {over} |")
    print_baselines(perf, copy_gbps, args.peak_tflops)
    if failures:
        print("\nNot timed (ground truth failed):\n")
        timed = {(suite, task) for suite, task, _ in perf}
        for (suite, task), msgs in sorted(failures.items()):
            print(f"- {suite}/{task}: {msgs[0]}" + (f" (in {len(msgs)} runs)" if len(msgs) > 1 else "") +
                  (" (timed in another run: in the table above)" if (suite, task) in timed else ""))


if __name__ == "__main__":
    main()
