#!/usr/bin/env python3
"""The ground truth against the baselines, per task of a suite release, from ground-truth
run records measured with baselines (tools/gpu_host/device_measure.sh with BASELINES).

    tools/gpu_host/baseline_analysis.py RUN_DIR [RUN_DIR ...] [--release_suites=suites] [--out=FILE.md]

Each run folder is one repetition; several suites may be given at once (one section
each). Only results whose task content a release of their suite lists
(<release_suites>/<suite>/releases.textproto) are counted; runs of one suite that span
two releases, or two devices, are refused.

Per task and run, the ground truth's latency is the geometric mean of its median
latencies over the task's performance cases, and a baseline's speedup the geometric mean
over those cases of GT latency / baseline latency (above 1: the baseline is faster), as
the harness computes a candidate's. The table shows the median over runs, and the
ground truth's run-to-run spread (max - min) / median of its per-run value. A baseline
counts in a run only when it has a latency and correct outputs (outputs_ok) at every
case. The roofline fraction of a case is the larger of bytes / time over the device's
peak memory bandwidth and FLOPs / time over the compute peak for the case's dtype
(PEAKS below), at the median over runs of the ground truth's latency. Reads only run
records and task files; measures nothing.
"""

import argparse
import hashlib
import math
import os
import re
import statistics
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summarize_runs import baseline_rows, load  # noqa: E402 - the one reader of run folders

BASELINES = ("torch_eager", "torch_compile", "torch_compile_max_autotune")
SHORT = {"torch_eager": "eager", "torch_compile": "torch.compile", "torch_compile_max_autotune": "max-autotune"}

# Peak rates by the device name records carry (environment.device_name): memory in GB/s,
# compute in TFLOP/s (TOP/s for int8), dense (no sparsity).
# H100: NVIDIA H100 Tensor Core GPU Architecture whitepaper, H100 SXM5 column.
# H200: NVIDIA H200 datasheet (H200 SXM: 4.8 TB/s HBM3e, the same compute as H100 SXM).
# MI300X: AMD Instinct MI300X datasheet (peak theoretical, dense).
_HOPPER = {"fp16_tensor": 989.4, "tf32_tensor": 494.7, "fp8_tensor": 1978.9, "int8_tensor": 1978.9,
           "fp32_vector": 66.9}
_MI300X = {"memory_gbps": 5300.0, "fp16_tensor": 1307.4, "tf32_tensor": 653.7, "fp8_tensor": 2614.9,
           "int8_tensor": 2614.9, "fp32_vector": 163.4}
PEAKS = {
    "NVIDIA H100 80GB HBM3": dict(_HOPPER, memory_gbps=3350.0),
    "NVIDIA H200": dict(_HOPPER, memory_gbps=4800.0),
    "AMD Instinct MI300X": _MI300X,
    "AMD Instinct MI300X VF": _MI300X,  # the same card as a virtual function
}
PEAK_LABELS = {"fp16_tensor": "16-bit tensor", "tf32_tensor": "TF32 tensor", "fp8_tensor": "FP8 tensor",
               "int8_tensor": "INT8 tensor", "fp32_vector": "FP32 vector"}
FP8_FEATURES = {"FP8_E4M3", "FP8_E5M2", "FP8_E4M3FNUZ", "FP8_E5M2FNUZ"}


def compute_peak(dtype, features):
    """Which compute peak a case's FLOPs run against (a PEAKS key), or None with why.

    tl.dot runs on the matrix units at the rate of its operands (float32 as TF32, Triton's
    default); code without tl.dot runs on the vector units, which Triton kernels use in
    float32 whatever the storage dtype."""
    if dtype is None:
        return "fp16_tensor", "the case's dtype is unknown"
    if "TL_DOT" in features:
        if features & FP8_FEATURES:
            return "fp8_tensor", None
        if "INT8_DOT" in features:
            return "int8_tensor", None
        if dtype in ("float16", "bfloat16"):
            return "fp16_tensor", None
        if dtype == "float32":
            return "tf32_tensor", None
    elif dtype in ("float16", "bfloat16", "float32"):
        return "fp32_vector", None
    return None, f"no compute peak for {dtype}" + ("" if "TL_DOT" in features else " without tl.dot")


# --- textproto, as far as releases.textproto and task.textproto need it ---------------------

def _strip_comments(text):
    """The text without '#' comments (a '#' inside a string stays)."""
    out, in_string, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif c == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _blocks(text, field):
    """(body of each top-level `field { ... }`, the text outside every block)."""
    bodies, outside, depth, start, in_string = [], [], 0, None, False
    i = 0
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "{":
            if depth == 0:
                opener = re.search(r"(\w+)\s*:?\s*$", text[:i])
                start = (i + 1, opener.group(1) if opener else "")
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and start:
                if start[1] == field:
                    bodies.append(text[start[0]:i])
                start = None
            i += 1
            continue
        if depth == 0:
            outside.append(c)
        i += 1
    return bodies, "".join(outside)


def _scalar(text, field):
    m = re.search(r'(?<![\w.])' + field + r'\s*:\s*"((?:[^"\\]|\\.)*)"', text)
    return m.group(1) if m else None


def read_releases(path):
    """[(release name, {task id: content hash})], oldest first, of one suite's manifest."""
    try:
        with open(path) as f:
            text = _strip_comments(f.read())
    except OSError as e:
        sys.exit(f"{path}: cannot read the suite's releases: {e}")
    releases = []
    for body in _blocks(text, "releases")[0]:
        tasks_text, own = _blocks(body, "tasks")
        name = _scalar(own, "name")
        if not name:
            sys.exit(f"{path}: a release without a name")
        releases.append((name, {_scalar(t, "id"): _scalar(t, "content_hash") for t in tasks_text}))
    if not releases:
        sys.exit(f"{path}: no releases")
    return releases


def task_content_hash(task_dir):
    """The task folder's content hash as the harness computes it (ContentHash in
    harness/suite.cc): every regular file in name order, each as '<dir>/<name>\\0<size>\\0'
    and its bytes."""
    digest = hashlib.sha256()
    base = os.path.basename(task_dir.rstrip("/"))
    for name in sorted(os.listdir(task_dir)):
        path = os.path.join(task_dir, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        digest.update(f"{base}/{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def task_case_dtypes(task_dir, content_hash):
    """({performance case name: dtype}, required features) from the task's task.textproto,
    or None when the folder is missing or holds other content than was measured."""
    path = os.path.join(task_dir, "task.textproto")
    if not os.path.isfile(path) or task_content_hash(task_dir) != content_hash:
        return None
    with open(path) as f:
        text = _strip_comments(f.read())
    cases, own = _blocks(text, "performance_cases")
    features = set()
    for value in re.findall(r"(?<![\w.])required_features\s*:\s*(\[[^\]]*\]|\w+)", own):
        features.update(re.findall(r"\w+", value))
    dtypes = {}
    for body in cases:
        case_own = _blocks(body, "")[1]
        dtypes[_scalar(case_own, "name")] = _scalar(case_own, "dtype")
    return dtypes, features


# --- reading the runs -------------------------------------------------------------------

def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def first_line(text, width=100):
    line = (text or "").strip().splitlines()
    return line[0][:width] if line else ""


def cell(text):
    return text.replace("|", "\\|")


def field(run_dir, res_index, task, path, value):
    """`value`, or exit naming the record and the result's field that lacks it."""
    if value is None:
        sys.exit(f"{os.path.join(run_dir, 'run_record.json')}: results[{res_index}] ({task}).{path} missing")
    return value


class Suite:
    """One suite's runs: the release their results belong to and, per task, one result per
    run that has it."""

    def __init__(self, name, manifest, releases):
        self.name, self.manifest, self.releases = name, manifest, releases
        self.runs = []          # (run dir, record)
        self.results = {}       # task -> [(run dir, record, result index, result)]
        self.unreleased = []    # (run dir, task)
        self.placed = []        # (run dir, task, releases listing its content) of each counted result
        self.common = [r for r, _ in releases]  # the releases that list every counted result

    def add(self, run_dir, record):
        self.runs.append((run_dir, record))
        for i, res in enumerate(record.get("results", [])):
            task = field(run_dir, i, "?", "task_id", res.get("task_id"))
            content = res.get("task_content_hash", "")
            listed = [name for name, tasks in self.releases if content and tasks.get(task) == content]
            if not listed:
                self.unreleased.append((run_dir, task))
                continue
            if any(d == run_dir for d, _, _, _ in self.results.get(task, [])):
                sys.exit(f"{os.path.join(run_dir, 'run_record.json')}: results[{i}]: a second result of {task}")
            remaining = [r for r in self.common if r in listed]
            if not remaining:
                a, b = self.common[-1], listed[-1]
                other_dir, other_task, _ = next(p for p in self.placed if b not in p[2])
                sys.exit(f"runs of suite {self.name} mix releases {a} and {b} ({self.manifest}): {other_task} in "
                         f"{other_dir} is task content of release {a}, {task} in {run_dir} of release {b}; "
                         "give runs of one release")
            self.common = remaining
            self.placed.append((run_dir, task, listed))
            self.results.setdefault(task, []).append((run_dir, record, i, res))

    def release(self):
        """The newest release every counted result belongs to, and its tasks."""
        if not self.results:
            return None, {}
        name = self.common[-1]
        return name, dict(self.releases)[name]


def read_suites(run_dirs, release_suites):
    """({suite: Suite}, {suite: device name}) of the runs; refuses a run given twice, and
    runs of one suite with released results from two devices."""
    suites, run_ids, devices = {}, {}, {}
    for run_dir in run_dirs:
        record = load(run_dir)
        path = os.path.join(run_dir, "run_record.json")
        configuration = record.get("configuration", "")
        if configuration != "ground_truth":
            sys.exit(f"{path}: configuration is '{configuration}', not 'ground_truth': this reads "
                     "ground-truth runs, whose results carry the baselines' timings (baselines[])")
        if not record.get("suite"):
            sys.exit(f"{path}: suite missing")
        suite = os.path.basename(record["suite"].rstrip("/"))
        run_id = record.get("run_id", "")
        if run_id and run_id in run_ids:
            sys.exit(f"{path}: the same run (run_id {run_id}) as {run_ids[run_id]}; give each run once")
        run_ids[run_id] = run_dir
        if suite not in suites:
            manifest = os.path.join(release_suites, suite, "releases.textproto")
            suites[suite] = Suite(suite, manifest, read_releases(manifest))
        counted = len(suites[suite].placed)
        suites[suite].add(run_dir, record)
        if len(suites[suite].placed) == counted:
            continue  # nothing released in it: its device does not matter
        # Peaks and the run-to-run spread are per device.
        device = record.get("environment", {}).get("device_name", "")
        if suite in devices and devices[suite][0] != device:
            sys.exit(f"runs of suite {suite} on two devices: '{devices[suite][0]}' ({devices[suite][1]}) and "
                     f"'{device}' ({run_dir}); give one device's runs")
        devices.setdefault(suite, (device, run_dir))
    return suites, {s: devices.get(s, ("", ""))[0] for s in suites}


# --- per task ---------------------------------------------------------------------------

def baseline_at(perf, name, in_settings):
    """(latency ms, None) of baseline `name` at one case, or (None, why not); in_settings:
    the run was asked to time it (settings.baselines)."""
    for row in baseline_rows(perf):
        if row.name != name:
            continue
        if not row.ms:
            return None, f"no latency at {perf['case_name']}" + (f": {row.note}" if row.note else "")
        if row.note:
            return None, f"outputs_ok false at {perf['case_name']}: {row.note}"
        return row.ms, None
    return None, f"no timing at {perf['case_name']}" if in_settings else "not in the run's baselines"


def analyse_task(task, entries):
    """The task's row: its numbers from its result in each run (entries)."""
    row = types.SimpleNamespace(task=task, failures=[], notes=[])
    timed = []
    for run_dir, record, i, res in entries:
        if res.get("execution_ok") and res.get("timing_available") and res.get("performance"):
            timed.append((run_dir, i, res, record.get("settings", {}).get("baselines", [])))
        elif not res.get("execution_ok"):
            row.failures.append(f"{res.get('failure_kind', '?')}" +
                                (f": {first_line(res.get('message'))}" if res.get("message") else ""))
        else:
            row.failures.append(f"no timing: {first_line(res.get('timing_unavailable_reason')) or '?'}")
    row.runs = len(timed)
    if not timed:
        return row
    case_sets = [[p.get("case_name") for p in res["performance"]] for _, _, res, _ in timed]
    cases = [c for c in case_sets[0] if all(c in s for s in case_sets)]
    if any(set(s) != set(cases) for s in case_sets):
        row.notes.append(f"performance cases differ across runs; the {len(cases)} every run has are used")
    row.cases = cases
    gt_per_run, per_case_ms = [], {c: [] for c in cases}
    speedups = {b: [] for b in BASELINES}
    why_not = {b: [] for b in BASELINES}
    for run_dir, i, res, asked in timed:
        perf = {p.get("case_name"): p for p in res["performance"]}
        gts = []
        for c in cases:
            ms = field(run_dir, i, task, f"performance[{c}].ground_truth.median_ms",
                       perf[c].get("ground_truth", {}).get("median_ms"))
            if ms <= 0:
                sys.exit(f"{run_dir}: results[{i}] ({task}): performance[{c}].ground_truth.median_ms is {ms}")
            gts.append(ms)
            per_case_ms[c].append(ms)
        gt_per_run.append(geomean(gts))
        for b in BASELINES:
            ratios = []
            for c, gt in zip(cases, gts):
                ms, why = baseline_at(perf[c], b, b in asked or b == "torch_eager")
                if why:
                    why_not[b].append(why)
                    break
                ratios.append(gt / ms)
            else:
                speedups[b].append(geomean(ratios))
    row.gt_ms = statistics.median(gt_per_run)
    row.spread = (max(gt_per_run) - min(gt_per_run)) / row.gt_ms if len(gt_per_run) > 1 else None
    row.case_ms = {c: statistics.median(v) for c, v in per_case_ms.items()}
    row.case_perf = {p.get("case_name"): p for p in timed[-1][2]["performance"]}  # flops and bytes
    row.speedup = {b: statistics.median(v) if v else None for b, v in speedups.items()}
    row.speedup_runs = {b: len(v) for b, v in speedups.items()}
    row.why_not = {b: (v[0] if v else "") for b, v in why_not.items()}
    return row


def roofline(case, ms, perf, peaks, device, dtypes):
    """{dtype, gbps, tflops, mem, comp, peak, fraction, bound, text} of the ground truth at
    one case; dtypes: task_case_dtypes() or None."""
    flops, nbytes = perf.get("flops") or 0.0, perf.get("bytes") or 0.0
    seconds = ms * 1e-3
    dtype = dtypes[0].get(case) if dtypes else None
    out = {"dtype": dtype or "?", "gbps": nbytes / seconds / 1e9, "tflops": flops / seconds / 1e12,
           "mem": None, "comp": None, "fraction": None, "bound": "", "peak": ""}
    if peaks is None:
        out["text"] = f"no peak for device {device or '(none recorded)'}"
        return out
    key, why = compute_peak(dtype, dtypes[1] if dtype else set())
    out["peak"] = f"{PEAK_LABELS[key]} {peaks[key]:g}" + (f" ({why})" if why else "") if key else why
    if nbytes > 0:
        out["mem"] = out["gbps"] / peaks["memory_gbps"]
    if flops > 0 and key:
        out["comp"] = out["tflops"] / peaks[key]
    fractions = [(f, bound) for f, bound in ((out["mem"], "memory"), (out["comp"], "compute")) if f is not None]
    if not fractions:
        out["text"] = why if flops > 0 else "no bytes or FLOPs in the record"
        return out
    out["fraction"], out["bound"] = max(fractions)
    out["text"] = f"{100 * out['fraction']:.0f}% {out['bound']}"
    return out


# --- Markdown ---------------------------------------------------------------------------

def pct(x, digits=0):
    return f"{100 * x:.{digits}f}%" if x is not None else "—"


def speedup_cell(row, b):
    if row.speedup[b] is None:
        return cell(f"— {row.why_not[b]}")
    partial = f" ({row.speedup_runs[b]}/{row.runs} runs)" if row.speedup_runs[b] < row.runs else ""
    return f"{row.speedup[b]:.2f}x{partial}"


def summary_lines(rows, release_tasks, release):
    timed = [r for r in rows if r.runs]
    out = [f"- Tasks with a ground-truth timing: {len(timed)} of the {len(release_tasks)} in release {release}; "
           f"with all four timings (ground truth, eager, torch.compile, max-autotune): "
           f"{sum(1 for r in timed if all(r.speedup[b] is not None for b in BASELINES))} "
           f"of {len(release_tasks)}."]
    for b in BASELINES:
        have = [r for r in timed if r.speedup[b] is not None]
        if not have:
            out.append(f"- {SHORT[b]}: no task timed.")
            continue
        wins = sorted((r for r in have if r.speedup[b] > 1), key=lambda r: -r.speedup[b])
        line = (f"- {SHORT[b]}: timed on {len(have)} tasks, geomean speedup over the ground truth "
                f"{geomean([r.speedup[b] for r in have]):.2f}x; faster than the ground truth on {len(wins)}")
        if wins:
            line += (f" (geomean {geomean([r.speedup[b] for r in wins]):.2f}x there; largest: " +
                     ", ".join(f"{r.task} {r.speedup[b]:.2f}x" for r in wins[:5]) + ")")
        out.append(line + ".")
    spreads = [r for r in timed if r.spread is not None]
    if spreads:
        worst = max(spreads, key=lambda r: r.spread)
        out.append(f"- Run-to-run spread of the ground truth over {len(spreads)} tasks timed in 2+ runs: "
                   f"median {pct(statistics.median(r.spread for r in spreads), 1)}, "
                   f"max {100 * worst.spread:.1f}% ({worst.task}, {worst.runs} runs).")
    else:
        out.append("- Run-to-run spread: no task was timed in more than one run.")
    weakest = sorted((r for r in timed if r.lowest["fraction"] is not None), key=lambda r: r.lowest["fraction"])
    if weakest:
        out.append("- Lowest roofline fractions of the ground truth (its lowest case): " +
                   ", ".join(f"{r.task} {r.lowest['text']}" for r in weakest[:5]) + ".")
    return out


def suite_section(suite, device, release_suites):
    release, release_tasks = suite.release()
    peaks = PEAKS.get(device)
    rows = [analyse_task(t, e) for t, e in sorted(suite.results.items())]
    lines = [f"## {suite.name} " + (f"{release} on {device or '(no device recorded)'}" if release else
                                    "(no released results)"), ""]
    counted = {d for d, _, _ in suite.placed}
    used = [(d, r) for d, r in suite.runs if d in counted]
    runs = ", ".join(f"`{d}`" + (" (cut short: results.jsonl)" if r.get("unfinished") else "") for d, r in used)
    harness = sorted({r.get("harness_version", "?") for _, r in used})
    if used:
        lines.append(f"Runs: {len(used)} ({runs}); harness {', '.join(harness)}.")
    others = [d for d, _ in suite.runs if d not in counted]
    if others:
        lines.append(f"Runs without a released result: {', '.join(f'`{d}`' for d in others)}.")
    if suite.unreleased:
        lines.append(f"Left out: {len(suite.unreleased)} results on task content no release of {suite.name} lists "
                     f"(unreleased), e.g. {suite.unreleased[0][1]} in `{suite.unreleased[0][0]}`.")
    if not release:
        return lines + ["", "No result of a released task."]
    if peaks:
        lines.append(f"Peaks ({device}): memory {peaks['memory_gbps']:g} GB/s; compute in TFLOP/s by case "
                     "(per-case table).")
    else:
        lines.append(f"No peak for device {device or '(none recorded)'}: no roofline fractions.")
    lines.append("")
    for row in rows:
        if not row.runs:
            continue
        task_dir = os.path.join(release_suites, suite.name, row.task)
        dtypes = task_case_dtypes(task_dir, release_tasks.get(row.task))
        if dtypes is None:
            row.notes.append(f"{task_dir}: missing or other content than measured; case dtypes unknown")
        row.roof = {c: roofline(c, row.case_ms[c], row.case_perf[c], peaks, device, dtypes) for c in row.cases}
        known = [r for r in row.roof.values() if r["fraction"] is not None]
        row.lowest = min(known, key=lambda r: r["fraction"]) if known else next(iter(row.roof.values()))
    lines += ["### Summary", ""] + summary_lines(rows, release_tasks, release) + [""]
    lines += ["### Per task", "",
              "GT ms: the ground truth's latency (geometric mean over the task's performance cases), median over "
              "runs. Speedup: GT latency / baseline latency (geometric mean over cases), median over runs; above "
              "1 the baseline is faster. Spread: (max - min) / median of the ground truth's latency over runs. "
              "Roofline: the ground truth's lowest case (per-case table below).", "",
              "| task | cases | GT ms | spread (runs) | eager | torch.compile | max-autotune | GT roofline |",
              "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if not row.runs:
            continue
        spread = f"{100 * row.spread:.1f}% ({row.runs})" if row.spread is not None else "— (1 run)"
        lines.append(f"| {row.task} | {len(row.cases)} | {row.gt_ms:.4f} | {spread} | " +
                     " | ".join(speedup_cell(row, b) for b in BASELINES) + f" | {cell(row.lowest['text'])} |")
    lines += ["", "### Per case: the ground truth's roofline", "",
              "| task | case | dtype | GT ms | GB/s | TFLOP/s | of peak bandwidth | of compute peak | compute peak "
              "(TFLOP/s) | roofline |", "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for c in (row.cases if row.runs else []):
            r = row.roof[c]
            lines.append(f"| {row.task} | {c} | {r.get('dtype', '?')} | {row.case_ms[c]:.4f} | {r['gbps']:.0f} | "
                         f"{r['tflops']:.1f} | {pct(r['mem'])} | {pct(r['comp'])} | {cell(r['peak'] or '—')} | "
                         f"{cell(r['text'])} |")
    failed = [r for r in rows if not r.runs]
    missing = sorted(set(release_tasks) - set(suite.results))
    if failed or missing or any(r.notes for r in rows) or any(r.failures for r in rows if r.runs):
        lines += ["", "### Not timed, and notes", ""]
    for r in failed:
        lines.append(f"- {r.task}: ground truth not timed in any run: {cell(r.failures[0])}")
    for r in rows:
        if r.runs and r.failures:
            lines.append(f"- {r.task}: ground truth not timed in {len(r.failures)} run(s): {cell(r.failures[0])}")
        for note in r.notes:
            lines.append(f"- {r.task}: {cell(note)}")
    if missing:
        lines.append(f"- No result in these runs ({len(missing)} of release {release}): {', '.join(missing)}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="ground-truth run folders (run_record.json, results.jsonl)")
    parser.add_argument("--release_suites", default="suites",
                        help="the folder holding <suite>/releases.textproto and the task folders")
    parser.add_argument("--out", default="", help="the Markdown file to write; default: standard output")
    args = parser.parse_args()

    suites, devices = read_suites(args.runs, args.release_suites)
    lines = ["# The ground truth against the baselines", ""]
    for name in sorted(suites):
        lines += suite_section(suites[name], devices[name], args.release_suites) + [""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
