#!/usr/bin/env bash
# Nothing an evaluation makes outlives it: evaluate runs candidates of every outcome
# (pass, wrong values, syntax error, crash, timeout, memory limit, output flood, a full
# file, a daemon that keeps writing, a booby-trapped folder), is interrupted with SIGINT
# and SIGTERM mid-evaluation, and is killed with SIGKILL beside a live runner; after
# each, the scratch root, TMPDIR and HOME must be empty again (after the SIGKILL, once
# the next runner has reclaimed the dead one's folder, and only that one), no process
# of a candidate may be left, and the folder a trapped candidate linked to stays intact.
set -uo pipefail
source tools/shell_checks.sh
evaluate="$1"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
base="$TEST_TMPDIR/leak"
root="$base/scratch" tmp="$base/tmp" home="$base/home" logs="$base/logs"
# Beside the scratch root, where adversarial/traps_its_folder.py looks for it.
outside="$base/tb-leak-test-outside"
mkdir -p "$root" "$tmp" "$home" "$logs" "$outside/sub"
echo keep > "$outside/keep.txt"
chmod 755 "$outside"
task=suites/tritonbench_revised/vector_addition
candidates=harness/testdata/candidates
common=(--python="$TB_PYTHON" --worker=harness/python/worker.py --scratch_dir="$root" --device=cpu --probe=false
        --memory_mb=2048 --timeout_s=60 --task=$task)
daemon='tb-writing-[d]aemon'  # adversarial/writing_daemon.py's marker (the brackets keep grep from finding itself)

evaluate() {  # evaluate NAME CANDIDATE [FLAGS...]: stdout and stderr in $logs/NAME.{out,err}
  local name="$1" candidate="$2"
  shift 2
  HOME="$home" TMPDIR="$tmp" "$evaluate" "${common[@]}" --candidate="$candidates/$candidate" "$@" \
    > "$logs/$name.out" 2> "$logs/$name.err" < /dev/null
}

nothing_left() {  # nothing_left WHAT: the scratch root, TMPDIR and HOME are empty
  local left
  left=$(find "$root" "$tmp" "$home" -mindepth 1 -maxdepth 1 | wc -l)
  if ((left == 0)); then
    echo "ok: nothing left after $1"
  else
    echo "FAIL: $left folder(s) or file(s) left after $1:"
    find "$root" "$tmp" "$home" -mindepth 1 -maxdepth 3 | head -20
    failures=$((failures + 1))
    rm -rf "${root:?}"/* "${tmp:?}"/* "${home:?}"/*  # so that the next case is judged alone
  fi
}

runners() { find "$root" -mindepth 1 -maxdepth 1 -name 'tb-*' | wc -l; }
daemon_running() { grep -qs "$daemon" /proc/[0-9]*/cmdline; }

await() {  # await WHAT COMMAND...: polls COMMAND for up to 60 s
  local what="$1"
  shift
  for _ in $(seq 600); do "$@" && return 0; sleep 0.1; done
  echo "FAIL: waited in vain for $what"
  failures=$((failures + 1))
  return 1
}
candidate_folders() { (($(find "$root" -name 'candidate-*' 2>/dev/null | wc -l) >= $1)); }
daemon_files() { [[ -n $(find "$root" -name 'note-*' 2>/dev/null | head -1) ]]; }

# One candidate per outcome, each judged as it must be, each leaving nothing.
evaluate pass correct_blocked.py --probe  # the probe's folder too
check_exit "a correct candidate exits 0" 0 $?
nothing_left "a pass (and the probe)"
while read -r name candidate flags verdict; do
  [[ $flags == - ]] && flags=""
  evaluate "$name" "$candidate" $flags
  contains "$candidate: $verdict" "$logs/$name.out" "$verdict"
  nothing_left "$candidate"
done <<'EOF'
wrong    wrong_values.py                    -              failure:    WRONG_VALUES
syntax   syntax_error.py                    -              failure:    SYNTAX_ERROR
crash    segfault.py                        -              failure:    CRASH
timeout  infinite_loop.py                   --timeout_s=6  failure:    TIMEOUT
memory   memory_hog.py                      -              failure:    OUT_OF_MEMORY
flood    chatty.py                          -              verdict:    PASS
full     adversarial/fills_disk.py          -              failure:    RUNTIME_ERROR
daemon   adversarial/writing_daemon.py      --timeout_s=8  failure:    TIMEOUT
trap     adversarial/traps_its_folder.py    -              failure:    RUNTIME_ERROR
EOF
contains "the full file was written up to its limit" "$logs/full.out" "File too large"
daemon_running && { echo "FAIL: the writing daemon outlived its evaluation"; failures=$((failures + 1)); }
[[ $(cat "$outside/keep.txt") == keep && -d "$outside/sub" && $(stat -c %a "$outside") == 755 ]]
check_exit "the folder the trapped candidate linked to is intact" 0 $?
[[ $(stat -c %h "$outside/keep.txt") == 1 ]]
check_exit "the hard link to a file outside is gone" 0 $?

# Interrupted mid-evaluation: the running evaluation's folder goes as the runner stops.
for signal in INT TERM; do
  HOME="$home" TMPDIR="$tmp" "$evaluate" "${common[@]}" --candidate="$candidates/adversarial/writing_daemon.py" \
    > "$logs/sig$signal.out" 2> "$logs/sig$signal.err" &
  pid=$!
  await "the daemon's files (SIG$signal)" daemon_files
  kill -s $signal $pid
  wait $pid
  check_exit "SIG$signal stops evaluate with 130" 130 $?
  contains "SIG$signal: it says so" "$logs/sig$signal.err" "evaluate: interrupted"
  daemon_running && { echo "FAIL: the writing daemon outlived SIG$signal"; failures=$((failures + 1)); }
  nothing_left "SIG$signal"
done

# SIGKILL: runner A dies with its daemon writing; runner C runs beside it. The next
# runner, B, removes A's folder and stops the daemon, and leaves C and its folder alone.
HOME="$home" TMPDIR="$tmp" "$evaluate" "${common[@]}" --candidate="$candidates/adversarial/writing_daemon.py" \
  --timeout_s=120 > "$logs/killed.out" 2> "$logs/killed.err" &
killed=$!
await "runner A's daemon" daemon_files
HOME="$home" TMPDIR="$tmp" "$evaluate" "${common[@]}" --candidate="$candidates/adversarial/sleeps.py" \
  --timeout_s=120 > "$logs/beside.out" 2> "$logs/beside.err" &
beside=$!
await "runner C's candidate" candidate_folders 2
kill -s KILL $killed
wait $killed 2> /dev/null
[[ $(runners) == 2 ]]
check_exit "runner A's folder stays after SIGKILL, beside C's" 0 $?
daemon_running
check_exit "runner A's daemon is still writing (what B must stop)" 0 $?
evaluate reclaim correct_blocked.py
check_exit "runner B passes" 0 $?
contains "B says what it reclaimed" "$logs/reclaim.err" "evaluate: removed 1 scratch folder(s) of runners no longer alive under $root"
contains "B says it stopped the leftovers" "$logs/reclaim.err" "process(es) left in them"
daemon_running && { echo "FAIL: the daemon of the killed runner still runs"; failures=$((failures + 1)); }
[[ $(runners) == 1 ]]
check_exit "runner C's folder is untouched" 0 $?
candidate_folders 1
check_exit "runner C's evaluation is still running" 0 $?
kill -s INT $beside
wait $beside
check_exit "runner C stops as usual" 130 $?
nothing_left "SIGKILL and the reclaim"

# A failed check must not leave the daemon behind.
for cmdline in /proc/[0-9]*/cmdline; do
  if grep -qs "$daemon" "$cmdline"; then
    pid=${cmdline#/proc/}
    kill -s KILL "${pid%/cmdline}" 2> /dev/null
  fi
done
finish
