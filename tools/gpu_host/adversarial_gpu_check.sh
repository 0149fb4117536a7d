#!/usr/bin/env bash
# Runs the adversarial corpus (harness/testdata/candidates/adversarial/) against
# vector_addition on a GPU host and prints a table: candidate, expected verdict,
# verdict seen, PASS/FAIL. After each candidate that crashes, hangs, fills GPU memory
# or misuses streams, it evaluates the ground truth again, as the next candidate of a
# suite would be, and checks that its result is unaffected (passes, timing available,
# speedup against itself within 0.8-1.25x).
#
#   tools/gpu_host/adversarial_gpu_check.sh [EVALUATE] [CANDIDATE_NAME_SUBSTRING]
#
# EVALUATE defaults to dist/evaluate (tools/package_binaries.sh); the Python with
# torch and triton is $TB_PYTHON, else python3. No Bazel needed. TB_DEVICE=cpu makes a
# smoke run of the script itself (GPU-only rows and the timing checks then fail).
# Exit status 0 when every row passed. Takes about 5-8 minutes on an H100.
set -uo pipefail
cd "$(dirname "$0")/../.."
evaluate="${1:-dist/evaluate}"
only="${2:-}"
python="${TB_PYTHON:-python3}"
device="${TB_DEVICE:-gpu}"  # cpu: a smoke run of this script; GPU-only rows then fail
task=suites/tritonbench_revised/vector_addition
dir=harness/testdata/candidates
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# candidate | expected verdict | timeout (s) | check the ground truth afterwards (1/0)
cases="
correct_blocked.py|NONE|180|0
adversarial/torch_reference.py|REJECTED_BY_CHECK(no_triton_kernel)|180|0
adversarial/decoy_kernel.py|REJECTED_BY_CHECK(output_not_from_triton)|180|0
adversarial/imports_reference.py|REJECTED_BY_CHECK(output_not_from_triton)|180|0
adversarial/caches_by_shape.py|WRONG_VALUES|180|0
adversarial/caches_by_pointer.py|REJECTED_BY_CHECK(timing_outputs)|180|0
adversarial/special_cases_shapes.py|WRONG_VALUES|180|0
adversarial/uninitialised.py|WRONG_VALUES|180|0
adversarial/all_nan.py|WRONG_VALUES|180|0
adversarial/returns_float64.py|WRONG_DTYPE|180|0
adversarial/patches_torch.py|REJECTED_BY_CHECK(harness_tampering)|180|0
adversarial/patches_compare.py|WRONG_VALUES|180|0
adversarial/reads_expected.py|RUNTIME_ERROR|180|0
adversarial/forges_result.py|REJECTED_BY_CHECK(leftover_process)|180|0
adversarial/spawns_process.py|REJECTED_BY_CHECK(leftover_process)|180|0
adversarial/escapes_session.py|REJECTED_BY_CHECK(leftover_process)|180|0
adversarial/fork_bomb.py|REJECTED_BY_CHECK(process_limit)|180|1
adversarial/opens_socket.py|REJECTED_BY_CHECK(network)|180|0
adversarial/side_stream.py|REJECTED_BY_CHECK(timing_sanity)|180|1
adversarial/exhausts_memory.py|OUT_OF_MEMORY|180|1
adversarial/illegal_memory_access.py|CRASH|180|1
adversarial/sleeps.py|TIMEOUT|40|1
segfault.py|CRASH|180|1
memory_hog.py|OUT_OF_MEMORY|180|1
adversarial/launders_torch_output.py|REJECTED_BY_CHECK(output_not_from_triton)|180|0
adversarial/copies_torch_output.py|REJECTED_BY_CHECK(mostly_torch)|180|0
adversarial/flips_tf32.py|REJECTED_BY_CHECK(global_state)|180|0
adversarial/lazy_output.py|WRONG_OUTPUT_STRUCTURE|180|0
adversarial/memoises_by_content.py|REJECTED_BY_CHECK(timing_outputs)|180|0
adversarial/wrong_when_timed.py|REJECTED_BY_CHECK(timing_outputs)|180|0
adversarial/finishes_on_a_thread.py|WRONG_VALUES|180|0
adversarial/downgrades_precision.py|WRONG_VALUES|180|0
adversarial/slows_the_yardstick.py|NONE|180|0
"

# Prints "KIND" or "KIND(check)" and the speedup of one --json result line.
verdict_of() {
  "$python" -c '
import json, sys
r = json.loads(sys.stdin.readline())
kind = r.get("failure_kind", "NONE")
if r.get("check"):
    kind += "(" + r["check"] + ")"
print(kind, r.get("speedup", 0.0), "timing" if r.get("timing_available") else "no-timing",
      ",".join(r.get("isolation", [])) or "-")'
}

run() {  # candidate timeout -> "verdict speedup timing"
  local out
  out=$("$evaluate" --task="$task" --candidate="$1" --python="$python" --worker=harness/python/worker.py \
    --device="$device" --probe=false --json --timeout_s="$2" --memory_mb=32768 --repetitions=20 --warmup_ms=10 \
    --scratch_dir="$scratch" 2>/dev/null | head -1)
  if [[ -z "$out" ]]; then echo "NO_RESULT 0 no-timing -"; else echo "$out" | verdict_of; fi
}

failures=0
printf '%-48s %-42s %-42s %s\n' candidate expected seen result
while IFS='|' read -r candidate expected timeout check_gt; do
  [[ -z "$candidate" ]] && continue
  [[ -n "$only" && "$candidate" != *"$only"* ]] && continue
  read -r seen _ _ isolation < <(run "$dir/$candidate" "$timeout")
  [[ "$candidate" == correct_blocked.py ]] && echo "isolation steps in effect: $isolation"
  status=PASS
  [[ "$seen" == "$expected" ]] || { status=FAIL; failures=$((failures + 1)); }
  printf '%-48s %-42s %-42s %s\n' "$candidate" "$expected" "$seen" "$status"
  if [[ "$check_gt" == 1 ]]; then
    read -r seen speedup timing _ < <(run "$task/kernel.py" 180)
    status=PASS
    if [[ "$seen" != NONE || "$timing" != timing ]] ||
      ! "$python" -c "import sys; sys.exit(0 if 0.8 <= $speedup <= 1.25 else 1)"; then
      status=FAIL
      failures=$((failures + 1))
    fi
    printf '%-48s %-42s %-42s %s\n' "  ground truth after it" "NONE, speedup 0.8-1.25" "$seen, speedup $speedup" "$status"
  fi
done <<< "$cases"
echo "$failures failed"
[[ $failures -eq 0 ]]
