# Assertions for the shell tests, sourced by each (`source tools/shell_checks.sh`, the
# test's working directory being the workspace root). Each prints "ok: <what>" or
# "FAIL: <what>: why" and counts failures; `finish` ends the test with their count.
failures=0

check() {  # check <description> <command...>: the command succeeds
  local what="$1"
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

check_exit() {  # check_exit <description> <expected exit> <actual exit>
  if [[ "$2" != "$3" ]]; then echo "FAIL: $1: exit $3, expected $2"; failures=$((failures + 1)); else echo "ok: $1"; fi
}

contains() {  # contains <description> <file> <text>: the file holds the text
  if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in $2:"; head -50 "$2"; failures=$((failures + 1)); fi
}

lacks() {  # lacks <description> <file> <text>: the file does not hold the text
  if grep -qF -- "$3" "$2"; then echo "FAIL: $1: '$3' in $2:"; head -50 "$2"; failures=$((failures + 1)); else echo "ok: $1"; fi
}

finish() {  # the test's last command: its exit status is 0 only if nothing failed
  echo "$failures check(s) failed"
  [[ $failures -eq 0 ]]
}
