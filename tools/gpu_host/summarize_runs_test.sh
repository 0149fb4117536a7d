#!/usr/bin/env bash
# tools/gpu_host/summarize_runs.py over real H200 run records with the torch.compile baseline:
# the baselines table has a row per baseline and perf case, one that did not compile
# shows no latency and says why, and a task that failed in one run but was timed in
# another says so.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
t="$TEST_TMPDIR"
runs=results/runs/2026-12-02-h200-s18
"$python" tools/gpu_host/summarize_runs.py "$runs/compile-tritonbench_revised" "$runs/compile2-tritonbench_revised" > "$t/s.md"
check_exit "summarizes two runs with baselines" 0 $?
contains "has the baselines table" "$t/s.md" "| suite | task | perf case | baseline | ms |"
# Harness 0.6.0 recorded Inductor's failure at this case (no latency) and timed the ground truth.
contains "a baseline that did not compile has no latency" "$t/s.md" \
  "| tritonbench_revised | layer_norm_liger | m16384_n4096_bf16 | torch_compile | - | - | - | - | - | - | COMPILE_ERROR at its first call"
contains "the same task's other cases are timed" "$t/s.md" "| tritonbench_revised | layer_norm_liger | m8192_n8192_fp16 | torch_compile | 0."
contains "eager is a baseline row too" "$t/s.md" "| tritonbench_revised | layer_norm_liger | m8192_n8192_fp16 | torch_eager | 4."
# Harness 0.5.0 failed the whole task in the first run.
contains "the failure in one run is listed" "$t/s.md" "- tritonbench_revised/layer_norm_liger: COMPILE_ERROR"
contains "and says the task was timed in another" "$t/s.md" "(timed in another run: in the table above)"
"$python" tools/gpu_host/summarize_runs.py results/runs/2026-11-25-h100-ground-truth/run1-rocm > "$t/plain.md"
check_exit "summarizes a run without baselines" 0 $?
lacks "no baselines table without torch.compile" "$t/plain.md" "| baseline |"
finish
