"""Turns ground-truth runs measured with baselines into one ordinary run record per
baseline, which the leaderboard shows as rows beside the LLM configurations.

A ground-truth run (`tools/gpu_host/device_measure.sh`, i.e. `evaluate
--baselines=torch_eager,torch_compile,...`) times, on every performance case and
interleaved call by call, the ground truth and each baseline (the task's baseline():
eager, and compiled), on the same inputs in the same process. Runs before harness
0.8.0 had no torch_eager baseline: their eager numbers are the timing of the task's
reference() (`--time_reference`), used where a case has no torch_eager entry. This
script copies each baseline's numbers out as if it were the candidate: speedup =
ground-truth latency / baseline latency, so 1.0 is the ground truth and above 1 beats it. Nothing is re-measured or invented: a baseline
without numbers for a task is a result without timing.

    python3 baselines/split_runs.py RUN_DIR... --out=ROOT

writes ROOT/<run folder name>-<baseline>/ (run_record.json, results.jsonl) for
torch_eager and each baseline in the run's settings. Existing folders are never
overwritten.
"""

import argparse
import copy
import json
import math
import os
import sys

EAGER = "torch_eager"
ROLES = ("candidate", "ground_truth", "reference")


def baseline_names(record):
    named = list(record.get("settings", {}).get("baselines", []))
    return named if EAGER in named else [EAGER] + named


def baseline_case(perf, name):
    """(latency stats, tflops, gbps, outputs_ok, message, failure_kind) of `name` at one
    case, or None. failure_kind is "NONE" unless its first call raised (then no latency)."""
    for b in perf.get("baselines", []):
        if b.get("name") == name:
            return (b.get("latency", {}), b.get("tflops", 0.0), b.get("gbps", 0.0), bool(b.get("outputs_ok")),
                    b.get("message", ""), b.get("failure_kind") or "NONE")
    if name == EAGER:
        # A run before harness 0.8.0: eager was the reference's own timing.
        ref = perf.get("reference")
        if not ref or not ref.get("repetitions"):
            return None
        return ref, perf.get("reference_tflops", 0.0), perf.get("reference_gbps", 0.0), True, "", "NONE"
    return None


def baseline_result(gt, name):
    """The EvaluationResult of baseline `name` for one task of a ground-truth run."""
    out = {"task_id": gt["task_id"], "candidate_path": f"baseline:{name}", "device": gt.get("device", ""),
           "task_content_hash": gt.get("task_content_hash", ""),
           "call_ok": False, "execution_ok": False, "timing_available": False, "performance": [], "speedup": 0.0}
    if not gt.get("timing_available"):
        out["failure_kind"] = "HARNESS_ERROR"
        out["message"] = out["timing_unavailable_reason"] = \
            f"the ground truth was not timed in this run ({gt.get('failure_kind', 'NONE')}: {gt.get('message', '')})"
        return out
    wrong = []
    for perf in gt.get("performance", []):
        got = baseline_case(perf, name)
        if got is None:
            out["failure_kind"] = "HARNESS_ERROR"
            out["message"] = out["timing_unavailable_reason"] = \
                f"{name} was not timed at case '{perf.get('case_name', '')}'"
            out["performance"] = []
            return out
        stats, tflops, gbps, ok, message, kind = got
        if kind != "NONE":
            # It could not run at this case (Inductor failed to compile it).
            out.update(failure_kind=kind, call_ok=False, performance=[],
                       message=f"case '{perf.get('case_name', '')}': {message}")
            return out
        if not ok:
            wrong.append(f"case '{perf.get('case_name', '')}': {message}")
        gt_ms, ms = perf["ground_truth"]["median_ms"], stats["median_ms"]
        out["performance"].append({
            "case_name": perf.get("case_name", ""), "flops": perf.get("flops", 0.0), "bytes": perf.get("bytes", 0.0),
            "candidate": stats, "ground_truth": perf["ground_truth"], "speedup": gt_ms / ms if ms > 0 else 0.0,
            "candidate_tflops": tflops, "candidate_gbps": gbps,
            "ground_truth_tflops": perf.get("ground_truth_tflops", 0.0),
            "ground_truth_gbps": perf.get("ground_truth_gbps", 0.0),
            "copy_bandwidth_gbps": perf.get("copy_bandwidth_gbps", 0.0)})
    out["call_ok"] = True
    if wrong:
        # Timed, but its outputs differ from the reference's beyond the task's tolerance.
        out["failure_kind"] = "WRONG_VALUES"
        out["message"] = "; ".join(wrong)
        return out
    speedups = [p["speedup"] for p in out["performance"]]
    out.update(execution_ok=True, failure_kind="NONE", timing_available=bool(speedups),
               speedup=math.exp(sum(math.log(s) for s in speedups) / len(speedups)) if speedups else 0.0)
    return out


def split(record, name, command_line):
    """The run record of baseline `name` taken from a ground-truth run record."""
    if record.get("configuration") != "ground_truth":
        raise ValueError(f"configuration is {record.get('configuration')!r}, not 'ground_truth'")
    if not record.get("finished_at") or record.get("interrupted"):
        # Its split records would be partial too; the leaderboard would skip them.
        raise ValueError("the run never finished: take it up first (evaluate --resume, "
                         "tools/gpu_host/device_campaign.sh RESUME_FROM=...)")
    out = {k: copy.deepcopy(v) for k, v in record.items() if k not in ("results", "generations", "model")}
    out["run_id"] = f"{record.get('run_id', '')}-{name}"
    out["configuration"] = name
    out["command_line"] = f"{record.get('command_line', '')} | {command_line}"
    out["results"] = [baseline_result(r, name) for r in record.get("results", [])]
    out["tasks_total"] = len(out["results"])
    out["call_ok"] = sum(r["call_ok"] for r in out["results"])
    out["execution_ok"] = sum(r["execution_ok"] for r in out["results"])
    return out


def write_run(folder, record):
    os.makedirs(folder)  # fails if it exists: published runs are never overwritten
    with open(os.path.join(folder, "results.jsonl"), "w") as f:
        for r in record["results"]:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    with open(os.path.join(folder, "run_record.json"), "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", help="ground-truth run folders (run_record.json inside)")
    parser.add_argument("--out", required=True, help="folder to write <run>-<baseline>/ into")
    args = parser.parse_args(argv)
    command_line = "baselines/split_runs.py " + " ".join(argv)
    for run in args.runs:
        path = os.path.join(run, "run_record.json")
        try:
            with open(path) as f:
                record = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit(f"{path}: cannot read a run record: {e}")
        for name in baseline_names(record):
            try:
                out = split(record, name, command_line)
            except ValueError as e:
                sys.exit(f"{path}: {e}")
            folder = os.path.join(args.out, f"{os.path.basename(os.path.normpath(run))}-{name}")
            try:
                write_run(folder, out)
            except FileExistsError:
                sys.exit(f"{folder} exists; published runs are never overwritten")
            print(f"{folder}: {out['execution_ok']} of {out['tasks_total']} tasks timed and correct")


if __name__ == "__main__":
    main(sys.argv[1:])
