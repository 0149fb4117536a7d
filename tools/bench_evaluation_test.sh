#!/usr/bin/env bash
# tools/bench_evaluation.py on the CPU: the table has a row per stage and the totals, the
# JSON the per-stage numbers of every run, --compare reads it back, and bad input (a
# missing task folder, a failing candidate) exits 2 with a one-line error and no table.
# Speeds are never asserted.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
evaluate="$2"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
t="$TEST_TMPDIR"
bench=(tools/bench_evaluation.py --evaluate="$evaluate" --python="$TB_PYTHON" --device=cpu)
task=suites/tritonbench_revised/vector_addition

TMPDIR="$t/tmp" && mkdir -p "$TMPDIR" && export TMPDIR
"$python" "${bench[@]}" --task=$task --repeat=2 --json_out="$t/bench.json" > "$t/table.md" 2> "$t/err.txt"
check_exit "two runs of the ground truth exit 0" 0 $?
contains "the header names the runs, device and task" "$t/table.md" "Evaluation loop, 2 runs on cpu: task $task,"
contains "the header names the candidate" "$t/table.md" "candidate the task's kernel.py (ground truth)"
contains "the header names the binary" "$t/table.md" "evaluate $evaluate"
contains "the header names the harness version" "$t/table.md" ", harness 0."
contains "the device line" "$t/table.md" "device: "
contains "the table's columns" "$t/table.md" "| part | median s | min s | max s | share of runner wall |"
for row in "setup" "load task" "reference outputs" "import candidate" "correctness case" \
    "**worker stages, total**" "**worker outside stages (process start, imports, result exchange)**" \
    "**worker wall (wall_seconds)**" "**runner start and device probe**" \
    "**runner after the probe, outside the worker**" "**runner overhead (runner wall - wall_seconds)**" \
    "**runner wall**"; do
  contains "a row for $row" "$t/table.md" "| $row | "
done
lacks "no timing stages on the CPU" "$t/table.md" "| timing"
contains "a progress line per run" "$t/err.txt" "run 2 of 2: "
check "nothing is left in the temporary folder" test -z "$(ls -A "$TMPDIR")"

"$python" - "$t/bench.json" > "$t/json.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "bench_evaluation 1", d["format"]
assert d["repeat"] == 2 and len(d["runs"]) == 2, d["repeat"]
assert d["device"] == "cpu" and "cpu-interpreter" in d["device_line"], d["device_line"]
assert d["harness_version"] and len(d["harness_content_hash"]) == 64
parts = {p["name"]: p for p in d["parts"]}
for name in ["setup", "load task", "reference outputs", "import candidate", "correctness case"]:
    assert parts[name]["kind"] == "stage", name
for name, p in parts.items():
    assert len(p["seconds"]) == 2, name
    assert p["min"] <= p["median"] <= p["max"], name
    assert p["min"] == min(p["seconds"]) and p["max"] == max(p["seconds"]), name
for i, run in enumerate(d["runs"]):
    stages = sum(run["stage_seconds"].values())
    assert all(v >= 0 for v in run["stage_seconds"].values()), run["stage_seconds"]
    assert abs(parts["worker stages, total"]["seconds"][i] - stages) < 1e-9
    outside = parts["worker outside stages (process start, imports, result exchange)"]["seconds"][i]
    assert abs(outside - (run["wall_seconds"] - stages)) < 1e-9
    assert 0 < run["wall_seconds"] < run["runner_wall_seconds"], run
    overhead = parts["runner overhead (runner wall - wall_seconds)"]["seconds"][i]
    assert abs(overhead - (run["runner_wall_seconds"] - run["wall_seconds"])) < 1e-9
    probe = parts["runner start and device probe"]["seconds"][i]
    rest = parts["runner after the probe, outside the worker"]["seconds"][i]
    assert probe > 0 and abs(probe + rest - overhead) < 1e-9
print("json ok")
PY
check_exit "the JSON holds every part per run, consistently" 0 $?
contains "the JSON checks ran" "$t/json.txt" "json ok"

"$python" tools/bench_evaluation.py --from_json="$t/bench.json" --compare="$t/bench.json" > "$t/compare.md" 2>&1
check_exit "--compare against the same file exits 0" 0 $?
contains "the comparison's columns" "$t/compare.md" "| part | before s | after s | change s | change | ranges overlap |"
contains "a stage compared with itself has not changed" "$t/compare.md" "| correctness case | "
grep -F "| correctness case | " "$t/compare.md" | tail -1 | grep -qF "| +0.000 | +0.0% | yes |"
check_exit "a stage compared with itself shows no change" 0 $?

"$python" "${bench[@]}" --task=suites/no_such_suite/no_such_task --repeat=2 > "$t/missing.md" 2> "$t/missing.err"
check_exit "a missing task folder exits 2" 2 $?
contains "the error names the folder" "$t/missing.err" "task folder suites/no_such_suite/no_such_task does not exist"
[[ $(wc -l < "$t/missing.err") -eq 1 ]]; check_exit "the error is one line" 0 $?

"$python" "${bench[@]}" --task=$task --candidate=harness/testdata/candidates/wrong_values.py --repeat=2 \
  > "$t/failed.md" 2> "$t/failed.err"
check_exit "a candidate that fails exits 2" 2 $?
contains "the error names the run and the verdict" "$t/failed.err" \
  "run 1 of 2 failed: vector_addition is not a pass (WRONG_VALUES)"
lacks "no table from a failed run" "$t/failed.md" "| part |"
check "nothing is left in the temporary folder after a failure" test -z "$(ls -A "$TMPDIR")"
finish
