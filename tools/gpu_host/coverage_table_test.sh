#!/usr/bin/env bash
# tools/gpu_host/coverage_table.py over real H200 run records: the newest record that timed a
# task gives its row, a task only a failed record names is listed with that failure,
# and a task no record names is listed as not timed.
set -uo pipefail
source tools/shell_checks.sh
python="$1"
t="$TEST_TMPDIR"
old=results/runs/2026-12-02-h200-ground-truth-partial/call1-tritonbench_revised  # int4_matmul failed there
new=results/runs/2026-12-02-h200-ground-truth-s17/call1-tritonbench_revised      # and was timed here
lora="lora / moe / grouped gemm"
quant="quantization / low precision"

"$python" tools/gpu_host/coverage_table.py --suite=suites/tritonbench_revised --category="$lora" "$new" > "$t/lora.md"
check "runs on a real record" [ $? -eq 0 ]
check "counts the category's timed tasks" grep -qx "2 of 4 tasks timed (categories: $lora)" "$t/lora.md"
check "a timed task's row names device and harness" \
  grep -q "^| bgmv_expand_slice | $lora | NVIDIA H200 | 0.3.0 | t512_r16_l64_hs4096_ho12288_off4096_fp16: 0.0264 ms (eager 0.9272)" "$t/lora.md"
check "an untimed task is listed" grep -qx -- "- sgmv_expand_slice: no record" "$t/lora.md"
check "other categories are left out" bash -c "! grep -q attention_kernel '$t/lora.md'"

"$python" tools/gpu_host/coverage_table.py --suite=suites/tritonbench_revised --category="$quant" "$old" > "$t/old.md"
check "a failed task shows its failure" grep -q -- "- int4_matmul: HARNESS_ERROR" "$t/old.md"
# Given in either order, the newer record wins.
"$python" tools/gpu_host/coverage_table.py --suite=suites/tritonbench_revised --category="$quant" "$new" "$old" > "$t/both.md"
check "the newer record's timing replaces an older failure" grep -q "^| int4_matmul | $quant | NVIDIA H200 | 0.3.0 |" "$t/both.md"
check "and the failure is no longer listed" bash -c "! grep -q -- '- int4_matmul' '$t/both.md'"

"$python" tools/gpu_host/coverage_table.py --suite=suites/tritonbench_revised --category=nonsense "$new" > /dev/null 2> "$t/err"
check "an unknown category is refused" [ $? -ne 0 ]
check "and the known ones are named" grep -q "'attention'" "$t/err"

finish
