#!/usr/bin/env bash
# A ground-truth measurement on a remote GPU host whose commands are cut after a few
# minutes, so it must outlive one remote call: `start` runs tools/gpu_host/device_measure.sh detached (tools/gpu_host/detached.sh) over
# the task folders listed in TASKS_FILE (one per line, in that order; longest first
# keeps the tail short) and follows it SECONDS; `follow` follows a running one. Either
# way the records so far ($OUT/records.tar.gz) and the log are copied under $OUT, so a
# call cut short still brings back every finished task.
#   tools/gpu_host/device_campaign.sh start SECONDS [JOBS=8] [TASKS_FILE=.scratch/tasks.txt]
#   tools/gpu_host/device_campaign.sh follow SECONDS
# RESUME_FROM="DIR..." (with start): run folders of a measurement cut short (a machine
# lost, its time spent), copied in as run1-<suite> and taken up (evaluate --resume): their
# finished tasks are kept, the rest of TASKS_FILE (the same list) evaluated.
# Needs the packaged binaries in dist/ (tools/package_binaries.sh) copied with the
# call; python3 with torch and triton on the machine. 100 tasks take about 17 minutes
# with 8 evaluations at once on an H200.
set -u
cd "$(dirname "$0")/../.."
mode="${1:?start or follow}"
wait_s="${2:?seconds to follow}"
jobs="${3:-8}"
tasks_file="${4:-.scratch/tasks.txt}"
: "${OUT:?OUT (the folder that comes back) is not set}"
export PYTHONUNBUFFERED=1 TB_PYTHON="${TB_PYTHON:-python3}" TRITON_CACHE_DIR="${TRITON_CACHE_DIR:-/var/tmp/tc}"
work=/var/tmp/campaign
if [[ $mode == start ]]; then
  [[ -s $tasks_file ]] || { echo "$tasks_file: no task folders listed" >&2; exit 2; }
  for d in ${RESUME_FROM:-}; do
    [[ -f $d/run_record.json ]] || { echo "RESUME_FROM: $d holds no run_record.json" >&2; exit 2; }
    mkdir -p "$work" && cp -r "$d" "$work/$(basename "$d")" || exit 2
  done
  [[ -n "${RESUME_FROM:-}" ]] && export RESUME=1
  TASKS="$(cat "$tasks_file")" tools/gpu_host/detached.sh start campaign tools/gpu_host/device_measure.sh "$work" 1 "$jobs"
elif [[ $mode != follow ]]; then
  echo "usage: $0 start|follow SECONDS [JOBS] [TASKS_FILE]" >&2
  exit 2
fi
tools/gpu_host/detached.sh wait campaign "$wait_s" > "$OUT/wait-$mode.txt" 2>&1
tools/gpu_host/detached.sh status campaign >> "$OUT/wait-$mode.txt"
cp "${TB_DETACHED_DIR:-/var/tmp/tb-detached}/campaign.log" "$OUT/campaign.log" 2>/dev/null
# One archive of every run's record so far (run1-<suite>/{run_record.json,results.jsonl}):
# a remote call may bring back only a few files, however many suites ran.
records=()
for d in "$work"/run1-*; do
  [[ -d $d ]] || continue
  for f in run_record.json results.jsonl; do [[ -f $d/$f ]] && records+=("$(basename "$d")/$f"); done
done
((${#records[@]})) && tar czf "$OUT/records.tar.gz" -C "$work" "${records[@]}"
grep -E "^\[|^== " "$OUT/campaign.log" | tail -60
