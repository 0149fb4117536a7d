#!/usr/bin/env bash
# tools/gpu_host/upstream_table.py over a geak_rocm run the test writes: two shards, the
# second cut short (its results only in results.jsonl), with a golden that passes both
# verdicts and is timed, one that passes upstream but fails strict, two that fail both,
# one whose GEAK speedup is unavailable, one that passes strict but fails upstream, a
# crash without an upstream verdict, and a task of the suite folder with no result. The
# counts, rows and reasons printed must be the fixture's; a task given twice and a
# missing folder are refused with exit status 2.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
t="$TEST_TMPDIR"

"$python" - "$t" <<'EOF'
import json, os, sys

t = sys.argv[1]
suite = os.path.join(t, "geak_rocm")
for task in ("golden_ok", "strict_fail", "both_fail", "wrong_sum", "no_geak", "crashed", "tight_tol", "not_run"):
    os.makedirs(os.path.join(suite, task))
    with open(os.path.join(suite, task, "task.textproto"), "w") as f:
        f.write(f'id: "{task}"\nsuite: "geak_rocm"\nentry_point: "{task}"\n')

RULES = "GEAK-eval a85e657 ROCm"


def latency(ms):
    return {"median_ms": ms, "mean_ms": ms * 1.01, "stdev_ms": ms / 50, "min_ms": ms * 0.98, "max_ms": ms * 1.1,
            "p20_ms": ms * 0.99, "p80_ms": ms * 1.01, "repetitions": 100, "first_call_ms": ms * 40}


def perf(name, golden_ms, candidate_ms):
    return {"case_name": name, "candidate": latency(candidate_ms), "ground_truth": latency(golden_ms),
            "speedup": golden_ms / candidate_ms, "speedup_ci_low": golden_ms / candidate_ms * 0.99,
            "speedup_ci_high": golden_ms / candidate_ms * 1.01, "timing_rounds": 20,
            "copy_bandwidth_gbps": 2959.4, "baselines": []}


def result(task, wall, call=True, ok=True, kind="NONE", message="", check="", upstream=None, performance=(),
           speedup=None, timing_reason=""):
    res = {"task_id": task, "candidate_path": f"out/upstream/geak_rocm/{task}/kernel.py",
           "call_ok": call, "execution_ok": ok, "failure_kind": kind, "message": message, "check": check,
           "cases": [{"case_name": "upstream tests", "passed": ok, "failure_kind": kind, "message": message}],
           "timing_available": speedup is not None, "timing_unavailable_reason": timing_reason,
           "performance": list(performance), "speedup": speedup[0] if speedup else 0,
           "speedup_ci_low": speedup[1] if speedup else 0, "speedup_ci_high": speedup[2] if speedup else 0,
           "wall_seconds": wall, "device": "gpu", "last_stage": "timing case 'input 0'" if speedup else "upstream tests",
           "release": "upstream-a85e657"}
    if upstream is not None:
        res["upstream"] = dict(upstream, rules=RULES)
    return res


UNTIMED = "not correct under either verdict"
results1 = [
    result("golden_ok", 12.5, performance=[perf("input 0", 0.2, 0.2), perf("input 1", 0.4, 0.4),
                                            perf("input 2", 1.0, 0.99)],
           speedup=(1.002, 0.995, 1.010),
           upstream={"call_ok": True, "execution_ok": True, "message": "", "geak_speedup": 1.004}),
    result("strict_fail", 20.0, ok=False, kind="REJECTED_BY_CHECK", check="output_not_from_triton",
           message="result_gold['test_case_2'] held a result torch computed (torch.matmul) before a Triton "
                   "kernel first took it in",
           performance=[perf("input 0", 0.5, 0.5), perf("input 1", 0.7, 0.71)], speedup=(0.998, 0.990, 1.006),
           upstream={"call_ok": True, "execution_ok": True, "message": "", "geak_speedup": 0.998}),
    result("both_fail", 4.0, ok=False, kind="WRONG_VALUES",
           message="result_gold['test_case_1']: 512 of 4096 elements outside atol 0.01 rtol 0.01 (max abs error "
                   "0.5 at index (3, 17): 1.25 expected 0.75); the golden's value is finite there and the "
                   "candidate's differs in every row past row 3, which a wrong stride in the second loop gives "
                   "TAIL-BEYOND-200",
           timing_reason=UNTIMED,
           upstream={"call_ok": True, "execution_ok": False,
                     "message": "GEAK-eval's exec fails: test_case_1: Tensor-likes are not close! Mismatched "
                                "elements: 512 / 4096 (12.5%)",
                     "geak_speedup_unavailable_reason": UNTIMED}),
    result("tight_tol", 8.0, performance=[perf("input 0", 0.3, 0.2976)], speedup=(1.010, 1.001, 1.019),
           upstream={"call_ok": True, "execution_ok": False,
                     "message": "GEAK-eval's exec fails: result_gold[2] differs beyond atol 1e-3 rtol 1e-3 "
                                "(inside a list: its compare falls back to the nested tolerance)",
                     "geak_speedup": 1.008}),
]
results2 = [
    result("wrong_sum", 3.0, ok=False, kind="WRONG_VALUES", message="result_gold['sum']: 1 of 1 elements differ",
           timing_reason=UNTIMED,
           upstream={"call_ok": True, "execution_ok": False, "message": "GEAK-eval's exec fails: sum differs",
                     "geak_speedup_unavailable_reason": UNTIMED}),
    result("no_geak", 30.0, performance=[perf("input 0", 0.1, 0.1), perf("input 1", 0.2, 0.2)],
           timing_reason="timing stopped at case 'input 2': HARNESS_ERROR: the golden's launch raised "
                         "torch.OutOfMemoryError",
           upstream={"call_ok": True, "execution_ok": True, "message": "",
                     "geak_speedup_unavailable_reason": "timing stopped at case 'input 2': HARNESS_ERROR: the "
                                                        "golden's launch raised torch.OutOfMemoryError"}),
    result("crashed", 1.5, call=False, ok=False, kind="CRASH",
           message="the worker died from signal 11 (SIGSEGV) in stage 'upstream tests'"),
]


def record(results, index, finished):
    return {"run_id": f"2027-01-10T08:00:0{index}Z-ground_truth-7", "started_at": "2027-01-10T08:00:00Z",
            "finished_at": "2027-01-10T08:30:00Z" if finished else "", "harness_version": "0.9.1",
            "suite": "geak_rocm", "configuration": "ground_truth",
            "environment": {"backend": "cuda", "device_name": "NVIDIA H100 80GB HBM3", "driver_version": "580.159.04",
                            "torch_version": "2.11.0+cu130", "triton_version": "3.6.0"},
            "results": results, "tasks_total": 7, "interrupted": False,
            "shard": {"index": index, "count": 2, "balanced_by": "name"}}


for index, (results, finished) in enumerate(((results1, True), (results2, False))):
    run = os.path.join(t, f"shard{index}")
    os.makedirs(run)
    with open(os.path.join(run, "run_record.json"), "w") as f:
        json.dump(record(results if finished else [], index, finished), f, indent=1)
    with open(os.path.join(run, "results.jsonl"), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in results)
EOF
check "the fixture is written" [ -f "$t/shard1/results.jsonl" ]

"$python" tools/gpu_host/upstream_table.py "$t/shard0" "$t/shard1" --suite_dir="$t/geak_rocm" > "$t/out.md" 2> "$t/err"
check_exit "reads two shards with the suite folder" 0 $?
# The header.
contains "names the suite" "$t/out.md" "## Upstream and strict verdicts: geak_rocm"
contains "names the device" "$t/out.md" "- device: NVIDIA H100 80GB HBM3 (driver 580.159.04, torch 2.11.0+cu130, triton 3.6.0)"
contains "names the harness" "$t/out.md" "- harness: 0.9.1; configuration: ground_truth"
contains "names the shards and the one cut short" "$t/out.md" "; shards 0 of 2, 1 of 2; unfinished: $t/shard1"
contains "counts the suite's tasks" "$t/out.md" "- tasks in the suite folders: 8 (1 not judged)"
contains "counts the results" "$t/out.md" "- results: 7"
contains "counts upstream passes" "$t/out.md" "- upstream: call 6/7, exec 3/7 (1 without an upstream verdict)"
contains "counts strict passes" "$t/out.md" "- strict: call 6/7, pass 3/7"
contains "counts timed tasks" "$t/out.md" "- timed: 3/7; speedup geomean 1.003, GEAK speedup geomean 1.003"
contains "sums the wall time" "$t/out.md" "- wall time: 79.0 s in all, median 8.0 s per task"
# The table.
contains "has the suite's table" "$t/out.md" "### geak_rocm"
contains "a golden passing both, timed" "$t/out.md" \
  "| golden_ok | call ✓ exec ✓ | PASS | 1.004 | 1.002 [0.995, 1.010] | 3 | 12.5 |"
contains "upstream passes, strict fails" "$t/out.md" \
  "| strict_fail | call ✓ exec ✓ | REJECTED_BY_CHECK(output_not_from_triton) | 0.998 | 0.998 [0.990, 1.006] | 2 | 20.0 |"
contains "both fail, with upstream's reason" "$t/out.md" \
  "| both_fail | call ✓ exec ✗: GEAK-eval's exec fails: test_case_1: Tensor-likes are not close! Mismatched ele… | WRONG_VALUES | n/a: not correct under either verdict | - | 0 | 4.0 |"
contains "GEAK speedup unavailable, with the reason" "$t/out.md" \
  "| no_geak | call ✓ exec ✓ | PASS | n/a: timing stopped at case 'input 2': HARNESS_ERROR: the golden… | - | 2 | 30.0 |"
contains "strict passes, upstream fails" "$t/out.md" \
  "| tight_tol | call ✓ exec ✗: GEAK-eval's exec fails: result_gold[2] differs beyond atol 1e-3 rtol 1e-3 (insi… | PASS | 1.008 | 1.010 [1.001, 1.019] | 1 | 8.0 |"
contains "a crash has no upstream verdict" "$t/out.md" "| crashed | no upstream verdict | CRASH | n/a | - | 0 | 1.5 |"
contains "a task without a result is not judged" "$t/out.md" "| not_run | not judged | not judged | - | - | - | - |"
# The failures.
contains "has the failures" "$t/out.md" "### Failures with reasons"
contains "groups by failure kind with counts" "$t/out.md" "**WRONG_VALUES** (2)"
contains "a group of one" "$t/out.md" "**REJECTED_BY_CHECK(output_not_from_triton)** (1)"
contains "upstream-only failures have their group" "$t/out.md" "**strict PASS, upstream fails** (1)"
contains "the strict failure's reason, upstream passing" "$t/out.md" \
  "- geak_rocm/strict_fail: strict: result_gold['test_case_2'] held a result torch computed (torch.matmul) before a Triton kernel first took it in; upstream: passes"
contains "both reasons where both fail" "$t/out.md" \
  "- geak_rocm/wrong_sum: strict: result_gold['sum']: 1 of 1 elements differ; upstream: call ✓ exec ✗: GEAK-eval's exec fails: sum differs"
contains "a long message is cut near 200 characters" "$t/out.md" \
  "- geak_rocm/both_fail: strict: result_gold['test_case_1']: 512 of 4096 elements outside atol 0.01 rtol 0.01 (max abs error 0.5 at index (3, 17): 1.25 expected 0.75); the golden's value is finite there and the candidate's differs i…; upstream: call ✓ exec ✗"
lacks "and its tail is gone" "$t/out.md" "TAIL-BEYOND-200"
contains "upstream's reason alone where strict passes" "$t/out.md" \
  "- geak_rocm/tight_tol: upstream: call ✓ exec ✗: GEAK-eval's exec fails: result_gold[2] differs"
contains "a crash's reason" "$t/out.md" \
  "- geak_rocm/crashed: strict: the worker died from signal 11 (SIGSEGV) in stage 'upstream tests'; no upstream verdict"
lacks "passing tasks are not failures" "$t/out.md" "- geak_rocm/golden_ok"
lacks "nor is the one without GEAK speedup" "$t/out.md" "- geak_rocm/no_geak"
contains "lists the tasks not judged" "$t/out.md" "Not judged (no result in these runs): geak_rocm/not_run"

"$python" tools/gpu_host/upstream_table.py "$t/shard0" > "$t/one.md"
check_exit "reads one shard without a suite folder" 0 $?
contains "counts that shard's results" "$t/one.md" "- results: 4"
lacks "no suite count without --suite_dir" "$t/one.md" "tasks in the suite folders"
lacks "nothing is not judged without --suite_dir" "$t/one.md" "not judged"

cp -r "$t/shard1" "$t/again"
"$python" tools/gpu_host/upstream_table.py "$t/shard0" "$t/shard1" "$t/again" > "$t/dup.md" 2> "$t/dup.err"
check_exit "a task given twice is refused" 2 $?
contains "naming the task and both folders" "$t/dup.err" "task geak_rocm/wrong_sum has a result in both $t/shard1 and $t/again"
check "and prints no table" [ ! -s "$t/dup.md" ]

"$python" tools/gpu_host/upstream_table.py "$t/shard0" "$t/no_such_run" > /dev/null 2> "$t/missing.err"
check_exit "a missing folder is refused" 2 $?
contains "naming its path" "$t/missing.err" "$t/no_such_run: no such run folder"

finish
