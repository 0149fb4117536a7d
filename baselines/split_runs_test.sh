#!/usr/bin/env bash
# baselines/split_runs.py on a real H100 ground-truth run (eager timed beside the ground
# truth) and on a fixture with a torch.compile baseline whose outputs were wrong; the
# leaderboard then loads the baseline records as ordinary rows.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
lb="$2"
t="$TEST_TMPDIR"
run=results/runs/2026-11-25-h100-ground-truth/run1-rocm

"$python" baselines/split_runs.py "$run" --out="$t/split" > "$t/split.out"
check "splits the ground-truth run" [ $? -eq 0 ]
check "writes the eager record" [ -s "$t/split/run1-rocm-torch_eager/run_record.json" ]
check "and its results.jsonl" [ -s "$t/split/run1-rocm-torch_eager/results.jsonl" ]
# Speedups are the measured ground-truth latency over the measured eager latency.
"$python" - "$run/run_record.json" "$t/split/run1-rocm-torch_eager/run_record.json" <<'PY'
import json, math, sys
gt = json.load(open(sys.argv[1]))
eager = json.load(open(sys.argv[2]))
assert eager["configuration"] == "torch_eager", eager["configuration"]
assert eager["suite_content_hash"] == gt["suite_content_hash"]
assert eager["environment"] == gt["environment"], "the hardware is the ground truth run's"
assert eager["tasks_total"] == gt["tasks_total"] == len(eager["results"])
by_task = {r["task_id"]: r for r in gt["results"]}
for r in eager["results"]:
    g = by_task[r["task_id"]]
    for p, q in zip(r["performance"], g["performance"]):
        want = q["ground_truth"]["median_ms"] / q["reference"]["median_ms"]
        assert math.isclose(p["speedup"], want, rel_tol=1e-12), (r["task_id"], p["speedup"], want)
        assert p["candidate"] == q["reference"]
    assert r["execution_ok"] and r["timing_available"], r["task_id"]
print("eager speedups match the ground-truth run")
PY
check "eager speedups are ground truth / eager" [ $? -eq 0 ]
"$python" baselines/split_runs.py "$run" --out="$t/split" > /dev/null 2> "$t/again.err"
check "never overwrites a record" [ $? -ne 0 ]
check "says why" grep -q "never overwritten" "$t/again.err"

# A run that never finished (its machine lost mid-run) is refused, saying what to do.
mkdir -p "$t/cut/run1"
grep -v '"finished_at"' "$run/run_record.json" > "$t/cut/run1/run_record.json"
"$python" baselines/split_runs.py "$t/cut/run1" --out="$t/cut/split" > /dev/null 2> "$t/cut.err"
check "refuses a run that never finished" [ $? -ne 0 ]
check "and says to resume it" grep -q "evaluate --resume" "$t/cut.err"

# Each result keeps its task's content hash (the leaderboard places it in a suite release
# by it).
"$python" baselines/split_runs.py results/runs/2026-12-03-h200-s20/call1/run1-rocm --out="$t/hashed" > /dev/null
check "splits a harness 0.7.0 run" [ $? -eq 0 ]
"$python" - results/runs/2026-12-03-h200-s20/call1/run1-rocm/run_record.json "$t/hashed/run1-rocm-torch_compile/run_record.json" <<'PY'
import json, sys
gt, tc = (json.load(open(p)) for p in sys.argv[1:])
want = {r["task_id"]: r["task_content_hash"] for r in gt["results"]}
got = {r["task_id"]: r["task_content_hash"] for r in tc["results"]}
assert got == want and all(want.values()), (got, want)
PY
check "the split results carry the task content hash" [ $? -eq 0 ]

# A fixture: one task whose torch.compile outputs were wrong, one whose ground truth
# failed, one where Inductor could not compile the reference.
mkdir -p "$t/fixture/gt"
"$python" - "$run/run_record.json" "$t/fixture/gt/run_record.json" <<'PY'
import copy, json, sys
gt = json.load(open(sys.argv[1]))
gt["settings"]["baselines"] = ["torch_compile"]
gt["results"] = copy.deepcopy(gt["results"][:3])
gt["tasks_total"] = 3
good, broken, uncompiled = gt["results"]
for p in uncompiled["performance"]:
    p["baselines"] = [{"name": "torch_compile", "failure_kind": "COMPILE_ERROR", "outputs_ok": False,
                       "message": "COMPILE_ERROR at its first call: InductorError: loop-carried type"}]
for p in good["performance"]:
    lat = dict(p["ground_truth"], median_ms=p["ground_truth"]["median_ms"] * 2)
    p["baselines"] = [{"name": "torch_compile", "latency": lat, "compile_ms": 900.0, "outputs_ok": False,
                       "message": "WRONG_VALUES: output 0 differs"}]
broken.update(timing_available=False, execution_ok=False, failure_kind="WRONG_VALUES", message="mismatch")
json.dump(gt, open(sys.argv[2], "w"))
PY
"$python" baselines/split_runs.py "$t/fixture/gt" --out="$t/fixture/split" > /dev/null
"$python" - "$t/fixture/split/gt-torch_compile/run_record.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
good, broken, uncompiled = r["results"]
assert good["call_ok"] and not good["execution_ok"] and good["failure_kind"] == "WRONG_VALUES", good
assert "output 0 differs" in good["message"]
assert not broken["call_ok"] and "ground truth was not timed" in broken["message"], broken
assert not uncompiled["call_ok"] and uncompiled["failure_kind"] == "COMPILE_ERROR", uncompiled
assert "loop-carried type" in uncompiled["message"] and not uncompiled["performance"], uncompiled
assert r["execution_ok"] == 0
print("wrong baseline outputs, untimed tasks and failed compiles are failures, not speedups")
PY
check "wrong outputs, untimed tasks and failed compiles are failures" [ $? -eq 0 ]

# Since harness 0.8.0 eager is the torch_eager baseline (the task's baseline()), with its
# outputs checked; the reference's own timing, if any, is not eager.
mkdir -p "$t/fixture8/gt"
"$python" - "$run/run_record.json" "$t/fixture8/gt/run_record.json" <<'PY'
import copy, json, sys
gt = json.load(open(sys.argv[1]))
gt["settings"]["baselines"] = ["torch_eager", "torch_compile"]
gt["results"] = copy.deepcopy(gt["results"][:2])
gt["tasks_total"] = 2
fast, wrong = gt["results"]
for r, ok in ((fast, True), (wrong, False)):
    for p in r["performance"]:
        p["reference"] = dict(p["ground_truth"], median_ms=p["ground_truth"]["median_ms"] * 100)
        lat = dict(p["ground_truth"], median_ms=p["ground_truth"]["median_ms"] * 3)
        p["baselines"] = [{"name": n, "latency": lat, "outputs_ok": ok,
                           "message": "" if ok else "WRONG_VALUES: output 0 differs"}
                          for n in ("torch_eager", "torch_compile")]
json.dump(gt, open(sys.argv[2], "w"))
PY
"$python" baselines/split_runs.py "$t/fixture8/gt" --out="$t/fixture8/split" > /dev/null
check "one eager record, not two" [ "$(ls "$t/fixture8/split" | tr '\n' ' ')" == "gt-torch_compile gt-torch_eager " ]
"$python" - "$t/fixture8/split/gt-torch_eager/run_record.json" <<'PY'
import json, sys
fast, wrong = json.load(open(sys.argv[1]))["results"]
assert fast["execution_ok"] and abs(fast["speedup"] - 1 / 3) < 1e-6, fast["speedup"]
assert wrong["call_ok"] and not wrong["execution_ok"] and wrong["failure_kind"] == "WRONG_VALUES", wrong
PY
check "eager comes from the torch_eager baseline, outputs checked" [ $? -eq 0 ]

"$lb" build --runs="$t/split" --reported= --out_dir="$t/lb" 2> "$t/lb.err"
check "the leaderboard loads the baseline records" grep -q "1 run records counted, 0 skipped" "$t/lb.err"
check "as a torch_eager row" grep -q "| torch_eager |" "$t/lb/leaderboard.md"

finish
