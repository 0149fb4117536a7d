#!/usr/bin/env bash
# Times every suite's ground truth on a GPU host: RUNS runs of each suite, with PyTorch
# eager (the task's baseline()) timed too, one run record per run and suite under
# OUTDIR/run<k>-<suite>/.
#   tools/gpu_host/device_measure.sh OUTDIR [RUNS=1] [JOBS=6] [EVALUATE=dist/evaluate]
# JOBS tasks are evaluated at once (evaluate --jobs): their CPU-side work (input draws,
# file exchange, imports, compiles) overlaps, while every timed measurement runs with no
# other GPU work beside it (harness/python/gpu_lock.py). JOBS=1 is one task at a time.
# Every evaluation shares one compile cache (--trusted_triton_cache): safe here because
# every candidate is a task's own ground truth.
# Environment:
#   TASKS="suites/a/x suites/b/y"  only those task folders, in that order, suite by suite in
#                                  the order it first names them (one run record per run and
#                                  suite, over that suite's listed tasks; a task's suite is
#                                  the folder it is in, so imported suites work too);
#   SUITE_DIRS="out/upstream/geak_rocm out/upstream/geak_tbg"  without TASKS: these suite
#                                  folders instead of every suite under suites/ (the
#                                  suites tools/import_upstream writes: their golden kernels
#                                  judged against themselves under both verdicts);
#   BASELINES="torch_eager,torch_compile,torch_compile_max_autotune"  the baselines timed
#                                  (default torch_eager; baselines/README.md;
#                                  baselines/split_runs.py makes their records);
#   TIME_REFERENCE=1               also times the task's reference() (float32/float64);
#   REPETITIONS (default 100), TIMEOUT_S per task (default 900: a task also waits for
#   others' timings);
#   RESUME=1                       takes up unfinished run folders already in OUTDIR
#                                  (evaluate --resume: same tasks, flags and device);
#   GPUS=all (or 0,1,5)            every GPU named at once, JOBS at a time on each
#                                  (evaluate --gpus: each worker pinned to one GPU, each GPU
#                                  with its own lock).
# Needs a packaged evaluate binary (tools/package_binaries.sh) and python3 with torch
# and triton.
set -uo pipefail
cd "$(dirname "$0")/../.."
outdir="$1"
runs="${2:-1}"
jobs="${3:-6}"
evaluate="${4:-dist/evaluate}"
python="${TB_PYTHON:-python3}"
mkdir -p "$outdir"
export TRITON_CACHE_DIR="${TRITON_CACHE_DIR:-$outdir/triton-cache}"
# The judge and the candidate exchange inputs and outputs as files (GBs at performance
# sizes): in memory where /dev/shm has room for them (32 GB free; it is often small).
# evaluate removes each evaluation's folder as it ends (and those of a run killed
# outright when the next starts); only the shared lock file stays.
scratch="${TMPDIR:-/tmp}/tb-scratch"
shm_free_gb=$(df -k --output=avail /dev/shm 2>/dev/null | tail -1 | awk '{print int($1 / 1048576)}')
((${shm_free_gb:-0} >= 32)) && scratch=/dev/shm/tb-scratch
mkdir -p "$scratch"
echo "exchange files in $scratch; $jobs at a time"
options=(--device=gpu --python="$python" --worker=harness/python/worker.py --trusted_triton_cache="$TRITON_CACHE_DIR"
         --scratch_dir="$scratch" --baselines="${BASELINES:-torch_eager}" --jobs="$jobs"
         --timeout_s="${TIMEOUT_S:-900}" --repetitions="${REPETITIONS:-100}" --gpu_lock="$scratch/gpu.lock")
[[ "${RESUME:-}" == 1 ]] && options+=(--resume)
[[ "${TIME_REFERENCE:-}" == 1 ]] && options+=(--time_reference)
[[ -n "${GPUS:-}" ]] && options+=(--gpus="$GPUS")

# Suite folders in the order TASKS first names them (a task list puts its
# likeliest-to-finish work first), else SUITE_DIRS, else every suite under suites/.
if [[ -n "${TASKS:-}" ]]; then
  mapfile -t suite_dirs < <(for t in $TASKS; do dirname "${t%/}"; done | awk '!seen[$0]++')
else
  mapfile -t suite_dirs < <(for d in ${SUITE_DIRS:-suites/*/}; do echo "${d%/}"; done)
fi
status=0
for ((run = 1; run <= runs; run++)); do
  for dir in "${suite_dirs[@]}"; do
    suite=$(basename "$dir")
    if [[ -n "${TASKS:-}" ]]; then
      listed=$(for t in $TASKS; do [[ "$(dirname "${t%/}")" == "$dir" ]] && echo "${t%/}"; done | paste -sd, -)
      [[ -n "$listed" ]] || continue
      which=(--task="$listed")
    else
      [[ -d "$dir" ]] || { echo "SUITE_DIRS: $dir is not a folder" >&2; status=2; continue; }
      which=(--suite="$dir")
    fi
    echo "== run $run, suite $suite ($(date -u +%T))"
    "$evaluate" "${which[@]}" "${options[@]}" --out="$outdir/run$run-$suite" || status=1
  done
done
echo "== done ($(date -u +%T))"
exit $status
