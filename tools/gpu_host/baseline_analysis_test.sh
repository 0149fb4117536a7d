#!/usr/bin/env bash
# tools/gpu_host/baseline_analysis.py over the released H100 run record and fixtures made
# from it here: a task's numbers are what its results.jsonl says (computed again below),
# a second run gives the run-to-run spread, a baseline that failed or had wrong outputs
# shows why, unreleased results are left out, runs of two releases are refused, and an
# unknown device gets no roofline fraction.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
t="$TEST_TMPDIR"
tool=tools/gpu_host/baseline_analysis.py
run=results/runs/2026-12-05-h100-s23/run1-rocm           # harness 0.8.0, release rocm 1.0, one H100
old=results/runs/2026-12-03-h200-s20/call1/run1-rocm      # task content no release lists

row() {  # row <file> <task>: the task's row of the per-task table
  grep "^| $2 | [0-9]* | " "$1"
}

# What the runs' results.jsonl say of a task, computed without the tool: "GT_MS EAGER
# COMPILE SPREAD", each the geometric mean over cases per run, then the median over runs.
expect() {  # expect <results.jsonl>... <task>
  "$python" - "$@" <<'EOF'
import json, math, statistics, sys
*paths, task = sys.argv[1:]
gm = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
gts, eager, compile_ = [], [], []
for path in paths:
    res = next(r for r in map(json.loads, open(path)) if r["task_id"] == task)
    perf = res["performance"]
    gts.append(gm([p["ground_truth"]["median_ms"] for p in perf]))
    for name, out in (("torch_eager", eager), ("torch_compile", compile_)):
        b = [next(x for x in p["baselines"] if x["name"] == name) for p in perf]
        if all(x["outputs_ok"] and x["failure_kind"] == "NONE" for x in b):
            out.append(gm([p["ground_truth"]["median_ms"] / x["latency"]["median_ms"] for p, x in zip(perf, b)]))
spread = (max(gts) - min(gts)) / statistics.median(gts)
speedup = lambda xs: f"{statistics.median(xs):.2f}x" if xs else "-"
print(f"{statistics.median(gts):.4f} {speedup(eager)} {speedup(compile_)} {100 * spread:.1f}%")
EOF
}

variant() {  # variant <folder> <python editing `record` and `results` (by task)>: $run changed
  mkdir -p "$1"
  "$python" - "$run" "$1" "$2" <<'EOF'
import json, os, sys
src, dst, edit = sys.argv[1:]
record = json.load(open(os.path.join(src, "run_record.json")))
record["run_id"] += "-" + os.path.basename(dst)
results = {r["task_id"]: r for r in record["results"]}
exec(edit)
json.dump(record, open(os.path.join(dst, "run_record.json"), "w"))
with open(os.path.join(dst, "results.jsonl"), "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in record["results"])
EOF
}

"$python" "$tool" "$run" --out="$t/one.md"
check_exit "analyses a released run" 0 $?
read -r gt eager compile _ <<< "$(expect "$run/results.jsonl" gemm)"
contains "gemm's row is what its results say" "$t/one.md" \
  "| gemm | 3 | $gt | — (1 run) | $eager | $compile | — not in the run's baselines |"
# One case's roofline from its record: FLOPs / time over the H100's 16-bit tensor peak.
share=$("$python" -c "
import json
res = next(r for r in map(json.loads, open('$run/results.jsonl')) if r['task_id'] == 'gemm')
p = res['performance'][0]
print(f\"{p['case_name']} | float16 | {p['ground_truth']['median_ms']:.4f} | {p['bytes'] / p['ground_truth']['median_ms'] / 1e6:.0f} | \"
      f\"{p['flops'] / p['ground_truth']['median_ms'] / 1e9:.1f} |\")
print(f\"{100 * p['flops'] / (p['ground_truth']['median_ms'] * 1e-3) / 989.4e12:.0f}% compute\")")
contains "a case's achieved rates and its dtype from the task" "$t/one.md" "| gemm | $(head -1 <<< "$share")"
contains "and its compute-bound fraction of the 16-bit tensor peak" "$t/one.md" "| 16-bit tensor 989.4 | $(tail -1 <<< "$share") |"
size=$(grep -c "content_hash:" suites/rocm/releases.textproto)
timed=$(wc -l < "$run/results.jsonl")
contains "counts the release's tasks" "$t/one.md" "Tasks with a ground-truth timing: $timed of the $size in release 1.0"
contains "names the release's tasks no run has" "$t/one.md" "- No result in these runs ($((size - timed)) of release 1.0): layernorm,"
contains "one run has no spread" "$t/one.md" "- Run-to-run spread: no task was timed in more than one run."

# A second run made from the first: gemm's ground truth 10% slower, torch_compile's
# outputs wrong at gemm's first case, eager failing to compile at softmax's first case.
variant "$t/rep2" '
perf = results["gemm"]["performance"]
for p in perf:
    p["ground_truth"]["median_ms"] *= 1.1
b = next(x for x in perf[0]["baselines"] if x["name"] == "torch_compile")
b.update(outputs_ok=False, message="max abs error 3.0")
b = next(x for x in results["softmax"]["performance"][0]["baselines"] if x["name"] == "torch_eager")
b.update(outputs_ok=False, failure_kind="COMPILE_ERROR", latency={}, message="COMPILE_ERROR at its first call: boom")'
"$python" "$tool" "$run" "$t/rep2" > "$t/two.md"
check_exit "analyses two runs" 0 $?
read -r gt eager _ spread <<< "$(expect "$run/results.jsonl" "$t/rep2/results.jsonl" gemm)"
read -r _ _ compile _ <<< "$(expect "$run/results.jsonl" gemm)"
contains "the median over runs and the spread across them" "$t/two.md" "| gemm | 3 | $gt | $spread (2) | $eager | $compile (1/2 runs) |"
contains "the spread's distribution" "$t/two.md" "over 20 tasks timed in 2+ runs: median 0.0%, max $spread (gemm, 2 runs)"
"$python" "$tool" "$t/rep2" > "$t/rep2.md"
contains "wrong outputs give no speedup, and say where" "$t/rep2.md" \
  "— outputs_ok false at m4096_n4096_k4096_fp16: max abs error 3.0 |"
contains "a baseline without a latency says why" "$t/rep2.md" \
  "| softmax | 3 | $(expect "$t/rep2/results.jsonl" softmax | cut -d' ' -f1) | — (1 run) | — no latency at m16384_n4096_bf16: COMPILE_ERROR at its first call: boom |"
check "and it is not counted" grep -q "^- eager: timed on 19 tasks" "$t/rep2.md"

# Results on task content no release lists are left out, not counted.
"$python" "$tool" "$old" "$run" > "$t/mixed-old.md"
check_exit "an unreleased run beside a released one" 0 $?
contains "its results are left out" "$t/mixed-old.md" "Left out: $(wc -l < "$old/results.jsonl") results on task content no release of rocm lists"
contains "the released run's rows are unchanged" "$t/mixed-old.md" "$(row "$t/one.md" gemm)"

# A manifest with a release 1.1 in which gemm changed, and a run of 1.1's gemm.
mkdir -p "$t/suites/rocm"
"$python" - suites/rocm/releases.textproto "$t/suites/rocm/releases.textproto" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
release = text[text.index("releases {"):].replace('name: "1.0"', 'name: "1.1"')
open(sys.argv[2], "w").write(text + "\n" + re.sub(r'(id: "gemm" content_hash: ")[0-9a-f]+', r"\g<1>" + "0" * 64, release))
EOF
variant "$t/rep11" 'results["gemm"]["task_content_hash"] = "0" * 64'
"$python" "$tool" --release_suites="$t/suites" "$run" "$t/rep11" > /dev/null 2> "$t/err"
check "runs of two releases are refused" [ $? -ne 0 ]
contains "naming both" "$t/err" "runs of suite rocm mix releases 1.0 and 1.1"
contains "and the results that differ" "$t/err" "gemm in $run is task content of release 1.0, gemm in $t/rep11 of release 1.1"
"$python" "$tool" --release_suites="$t/suites" "$t/rep11" > "$t/r11.md"
check_exit "one release's runs are analysed" 0 $?
contains "in the newest release that lists them" "$t/r11.md" "## rocm 1.1 on NVIDIA H100 80GB HBM3"
contains "without task folders the dtype is unknown, and said" "$t/r11.md" "16-bit tensor 989.4 (the case's dtype is unknown)"

# A device the peak table lacks.
variant "$t/other" 'record["environment"]["device_name"] = "Example GPU 1"'
"$python" "$tool" "$t/other" > "$t/other.md"
check_exit "a device without peaks" 0 $?
row "$t/other.md" gemm > "$t/gemm-other"
contains "has no roofline fraction" "$t/gemm-other" "| no peak for device Example GPU 1 |"
lacks "in any row" "$t/other.md" "% memory"
contains "but its speedups" "$t/other.md" "$(row "$t/one.md" gemm | cut -d'|' -f1-7)"

"$python" "$tool" results/runs/2026-12-05-h100-s23-baselines/run1-rocm-torch_compile > /dev/null 2> "$t/err"
check "a baseline's split record is refused" [ $? -ne 0 ]
contains "naming the file and field" "$t/err" "run1-rocm-torch_compile/run_record.json: configuration is 'torch_compile'"
"$python" "$tool" "$run" "$run" > /dev/null 2> "$t/err"
check "a run given twice is refused" [ $? -ne 0 ]
finish
