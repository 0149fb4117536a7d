#!/usr/bin/env bash
# Times every suite's ground truth on a GPU host, in two phases:
#   1. warm-up: every task once, PARALLEL at a time, with one timed repetition, only to
#      fill the Triton compile cache (each task compiles tens of specialisations: on an
#      H100 that is most of a task's 20-45 s); these results are thrown away;
#   2. measurement: RUNS sequential runs of each suite (one task on the GPU at a time),
#      with the PyTorch reference timed too, one run record per run and suite under
#      OUTDIR/run<k>-<suite>/. The compile cache only saves compile time; what is timed
#      is the same.
# Every evaluation shares one compile cache (--trusted_triton_cache): safe here because
# every candidate is a task's own ground truth. PARALLEL=0 skips phase 1, RUNS=0 skips
# phase 2.
#   tools/device_measure.sh OUTDIR [RUNS=1] [PARALLEL=8] [EVALUATE=.devbin/evaluate]
# BASELINES="torch_compile,torch_compile_max_autotune" also times those PyTorch
# baselines in phase 2 (baselines/README.md; baselines/split_runs.py makes their run
# records). TASKS="suites/a/x suites/b/y" limits both phases to those task folders (phase 2 then
# makes one run record per run over all of them, OUTDIR/run<k>-tasks/).
# Needs a packaged evaluate binary (tools/package_for_device.sh) and python3 with torch
# and triton.
set -uo pipefail
cd "$(dirname "$0")/.."
outdir="$1"
runs="${2:-1}"
parallel="${3:-8}"
evaluate="${4:-.devbin/evaluate}"
python="${TB_PYTHON:-python3}"
mkdir -p "$outdir"
export TRITON_CACHE_DIR="${TRITON_CACHE_DIR:-$outdir/triton-cache}"
# The judge and the candidate exchange inputs and outputs as files (GBs at performance
# sizes): in memory where the host has /dev/shm, not on its disk.
scratch=/dev/shm/tb-scratch
[[ -d /dev/shm ]] || scratch="${TMPDIR:-/tmp}/tb-scratch"
mkdir -p "$scratch"
common=(--device=gpu --python="$python" --worker=harness/python/worker.py --trusted_triton_cache="$TRITON_CACHE_DIR"
        --scratch_dir="$scratch")

if ((parallel > 0)); then
mkdir -p "$outdir/warm"
echo "== phase 1: compile warm-up, $parallel at a time ($(date -u +%T))"
task_dirs=${TASKS:-$(ls -d suites/*/*/ | sed 's#/$##')}
echo "$task_dirs" | tr ' ' '\n' | grep . | xargs -P "$parallel" -I{} sh -c \
  '"$0" --task="$1" --repetitions=1 --warmup_ms=1 --probe=false "$2" "$3" "$4" \
     > "$5/warm/$(basename "$1").log" 2>&1 || echo "warm-up: $1 did not pass (see warm/$(basename "$1").log)"' \
  "$evaluate" {} "${common[@]}" "$outdir"
fi

status=0
for ((run = 1; run <= runs; run++)); do
  if [[ -n "${TASKS:-}" ]]; then
    echo "== phase 2: run $run, $(echo $TASKS | wc -w) tasks ($(date -u +%T))"
    "$evaluate" --task="$(echo $TASKS | tr ' ' ',')" --time_reference --baselines="${BASELINES:-}" "${common[@]}" \
      --out="$outdir/run$run-tasks" || status=1
    continue
  fi
  for suite in suites/*/; do
    suite=$(basename "$suite")
    echo "== phase 2: run $run, suite $suite ($(date -u +%T))"
    "$evaluate" --suite="suites/$suite" --time_reference --baselines="${BASELINES:-}" "${common[@]}" \
      --out="$outdir/run$run-$suite" || status=1
  done
done
echo "== done ($(date -u +%T))"
exit $status
