#!/usr/bin/env bash
# Runs one shard of a run, as a Slurm array element or a Kubernetes Indexed Job pod does:
#
#   tools/cluster/run_shard.sh RUN_DIR INDEX COUNT RUNNER [ARGS...]
#
# RUNNER is the evaluate or run_config binary; it is run with ARGS and
# --shard=INDEX/COUNT --out=RUN_DIR/shards/shard-INDEX-of-COUNT, taking up what an
# earlier attempt left there (evaluate --resume; run_config resumes the same --out). A
# shard already finished is left as it is. SIGTERM, SIGINT and SIGHUP are passed on to
# the runner, which stops its evaluation and marks the shard interrupted (a pod's
# PID 1 gets the signal alone). MERGE_RUNS names merge_runs (default: beside RUNNER).
#
# Exit status: 0 when the shard finished (whatever its tasks' verdicts: they are in its
# record), the runner's status otherwise (2 bad input, 130 interrupted).
set -uo pipefail
if (($# < 4)); then
  echo "usage: run_shard.sh RUN_DIR INDEX COUNT RUNNER [ARGS...]" >&2
  exit 2
fi
run_dir="$1" index="$2" count="$3" runner="$4"
shift 4
if ! [[ "$index" =~ ^[0-9]+$ && "$count" =~ ^[0-9]+$ ]] || ((index >= count)); then
  echo "run_shard: shard $index of $count: give an index from 0 to COUNT-1" >&2
  exit 2
fi
merge_runs="${MERGE_RUNS:-$(dirname "$runner")/merge_runs}"
out="$run_dir/shards/shard-$index-of-$count"
resume=()
case "$(basename "$runner")" in
  evaluate) resume=(--resume) ;;
  run_config) ;;  # the same --out resumes
  *)
    echo "run_shard: $runner is neither evaluate nor run_config" >&2
    exit 2
    ;;
esac

if [[ -f "$out/run_record.json" ]] &&
  "$merge_runs" --status "$out" 2> /dev/null | grep -q "^shard $index/$count: finished"; then
  echo "run_shard: shard $index/$count already finished in $out"
  exit 0
fi

echo "run_shard: shard $index/$count on $(hostname) into $out"
child=""
forward() { [[ -n "$child" ]] && kill -s "$1" "$child" 2> /dev/null; }
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP
"$runner" "$@" --shard="$index/$count" --out="$out" "${resume[@]}" &
child=$!
# `wait` returns early when a trapped signal arrives: wait until the runner has ended,
# then take its status if that early return missed it (127: already taken).
rc=0
while true; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2> /dev/null || break
done
wait "$child" 2> /dev/null
last=$?
((last != 127)) && rc=$last
# 1: the shard finished and some task failed; that is a result, not a failed job.
((rc == 1)) && rc=0
exit "$rc"
