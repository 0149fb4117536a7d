#!/usr/bin/env bash
# Replays a measured H200 run of 112 tasks (results/runs/2026-12-03-h200-s20) against gpu_lock.GpuLock at 1000x speed: the
# bench exits non-zero if any timed section overlapped another worker's section.
set -uo pipefail
run=results/runs/2026-12-03-h200-s20
out=$("${TB_PYTHON:-python3}" harness/python/gpu_lock_bench.py "$run/call2/run1-tritonbench_revised/results.jsonl" \
      --tasks="$run/compile_tasks_tb.txt" --scale=1000)
rc=$?
echo "$out"
[[ $rc -eq 0 ]] || { echo "FAIL: a timed section overlapped another section (or the bench failed)"; exit 1; }
grep -q "^112 tasks" <<<"$out" || { echo "FAIL: the run's 112 tasks were not replayed"; exit 1; }
echo "PASS"
