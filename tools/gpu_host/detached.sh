#!/usr/bin/env bash
# Runs a long command detached from the calling shell, so that it outlives one remote
# call of limited length (a remote GPU host whose commands are cut after a few minutes,
# while timing every task takes longer), and lets later calls follow it.
#
#   tools/gpu_host/detached.sh start NAME CMD [ARGS...]   starts CMD in its own session; log in STATE/NAME.log
#   tools/gpu_host/detached.sh wait NAME SECONDS          prints new log lines until CMD ends or SECONDS
#                                                pass; exit 0 when it ended, 3 while it runs
#   tools/gpu_host/detached.sh status NAME                one line: running / exited with its code
#
# STATE is $TB_DETACHED_DIR, default /var/tmp/tb-detached.
set -uo pipefail
state="${TB_DETACHED_DIR:-/var/tmp/tb-detached}"
mkdir -p "$state"
verb="${1:-}"
name="${2:-}"
[[ -n "$verb" && -n "$name" ]] || { echo "usage: $0 start|wait|status NAME ..." >&2; exit 2; }
log="$state/$name.log"
pidfile="$state/$name.pid"
rcfile="$state/$name.rc"

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$verb" in
  start)
    shift 2
    (($#)) || { echo "$0 start: no command" >&2; exit 2; }
    if running; then echo "$0: $name is already running (pid $(cat "$pidfile"))" >&2; exit 2; fi
    rm -f "$rcfile"
    : > "$log"
    # setsid: its own session and process group, so the end of the calling command
    # (which kills its own group) does not end it. The exit code lands in NAME.rc.
    setsid bash -c '"$@" >> "$0" 2>&1; echo $? > "$0.rc.tmp"; mv "$0.rc.tmp" "'"$rcfile"'"' "$log" "$@" \
      < /dev/null > /dev/null 2>&1 &
    echo $! > "$pidfile"
    echo "started $name (pid $!), log $log"
    ;;
  wait)
    seconds="${3:?wait needs SECONDS}"
    offset_file="$state/$name.shown"
    shown=$(cat "$offset_file" 2>/dev/null || echo 0)
    deadline=$((SECONDS + seconds))
    while :; do
      size=$(stat -c %s "$log" 2>/dev/null || echo 0)
      if ((size > shown)); then
        tail -c +$((shown + 1)) "$log" | head -c $((size - shown))
        shown=$size
        echo "$shown" > "$offset_file"
      fi
      if [[ -f "$rcfile" ]]; then echo "== $name exited with code $(cat "$rcfile")"; exit 0; fi
      if ! running; then echo "== $name is gone without an exit code (killed?)"; exit 0; fi
      left=$((deadline - SECONDS))
      ((left > 0)) || { echo "== $name still running after ${seconds}s"; exit 3; }
      sleep $((left < 5 ? left : 5))
    done
    ;;
  status)
    if [[ -f "$rcfile" ]]; then echo "$name exited with code $(cat "$rcfile")"
    elif running; then echo "$name running (pid $(cat "$pidfile"))"
    else echo "$name not running"; fi
    ;;
  *) echo "usage: $0 start|wait|status NAME ..." >&2; exit 2 ;;
esac
