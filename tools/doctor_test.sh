#!/usr/bin/env bash
# tools/doctor as CI and a newcomer meet it: every line is OK/WARN/FAIL with a name, a
# WARN or FAIL carries a fix, the last line counts them; on this CPU machine the
# missing GPU is a WARN and the exit status 0; an unreachable LLM endpoint and a ROCm
# torch with a CUDA triton are FAILs (exit 1), another triton version than torch's a
# WARN, each naming the fix.
set -uo pipefail
source tools/shell_checks.sh
doctor=tools/doctor
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
t="$TEST_TMPDIR"

well_formed() {  # every line a check, a fix under a WARN/FAIL, or the count
  local prev=""
  while IFS= read -r line; do
    if [[ "$line" =~ ^(OK|WARN|FAIL)\ +[a-z/\ ]+:\ . ]]; then prev="${BASH_REMATCH[1]}"
    elif [[ "$line" =~ ^\ {5}fix:\ . && "$prev" != OK ]]; then prev=fix
    elif [[ "$line" =~ ^doctor:\ [0-9]+\ OK,\ [0-9]+\ WARN,\ [0-9]+\ FAIL$ ]]; then prev=end
    else echo "  malformed: $line"; return 1; fi
  done < "$1"
  [[ "$prev" == end ]]
}
fixed() {  # every WARN/FAIL line is followed by a fix line
  awk '/^(WARN|FAIL) /{want=1; next} want && !/^     fix: /{bad=1} {want=0} END{exit bad || want}' "$1"
}
counted() {  # the count line agrees with the lines
  local ok warn fail
  ok=$(grep -c '^OK ' "$1"); warn=$(grep -c '^WARN ' "$1"); fail=$(grep -c '^FAIL ' "$1")
  grep -qx "doctor: $ok OK, $warn WARN, $fail FAIL" "$1"
}

# A suite with one plain task and one needing MI300's fp8 format.
for task in plain:TL_DOT fnuz:FP8_E4M3FNUZ; do
  mkdir -p "$t/suites/s/${task%%:*}"
  printf 'id: "%s"\nrequired_features: [%s]\n' "${task%%:*}" "${task#*:}" > "$t/suites/s/${task%%:*}/task.textproto"
done
common=(--python="$TB_PYTHON" --scratch_dir="$t" --suites="$t/suites")

TB_LLM_BASE_URL= "$doctor" "${common[@]}" > "$t/cpu.txt" 2> "$t/cpu.err"
check_exit "CI's CPU machine passes the doctor" 0 $?
check "every line is well formed" well_formed "$t/cpu.txt"
check "every WARN and FAIL names a fix" fixed "$t/cpu.txt"
check "the count line agrees" counted "$t/cpu.txt"
contains "no GPU is a WARN" "$t/cpu.txt" "WARN gpu: no GPU: correctness runs in Triton's CPU interpreter"
contains "the interpreter is named" "$t/cpu.txt" "OK   python: "
contains "torch and triton are named" "$t/cpu.txt" "OK   torch/triton: torch "
contains "Bazel is checked" "$t/cpu.txt" "OK   bazel: "
contains "so are the Debian packages of tools/setup.sh" "$t/cpu.txt" "Debian packages of tools/setup.sh installed"
contains "the tasks the interpreter skips are listed" "$t/cpu.txt" "FP8_E4M3FNUZ: 1 (fnuz)"
contains "the scratch folder's space" "$t/cpu.txt" "scratch: $t: "
contains "/dev/shm's space" "$t/cpu.txt" "/dev/shm: /dev/shm: "
contains "no endpoint configured is fine" "$t/cpu.txt" "OK   llm endpoint: none configured"
contains "the sandbox is probed" "$t/cpu.txt" "sandbox: "
contains "Landlock is probed" "$t/cpu.txt" "landlock: "
check "nothing on stderr" [ ! -s "$t/cpu.err" ]

# An endpoint that answers (any HTTP status) and one that does not.
"$TB_PYTHON" -c '
import http.server
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
print(server.server_port, flush=True)
server.serve_forever()' > "$t/port" 2> /dev/null &
server=$!
for _ in $(seq 50); do [[ -s "$t/port" ]] && break; sleep 0.1; done
port=$(cat "$t/port")
"$doctor" "${common[@]}" --base_url="http://127.0.0.1:$port" > "$t/up.txt"
check_exit "a reachable endpoint passes" 0 $?
contains "it says the endpoint answers" "$t/up.txt" "OK   llm endpoint: http://127.0.0.1:$port answers"
kill "$server" 2> /dev/null
wait "$server" 2> /dev/null
TB_LLM_BASE_URL="http://127.0.0.1:$port" "$doctor" "${common[@]}" > "$t/down.txt"
check_exit "an unreachable endpoint fails" 1 $?
contains "naming the URL" "$t/down.txt" "FAIL llm endpoint: http://127.0.0.1:$port is not reachable"
check "with a fix" fixed "$t/down.txt"

# A ROCm build of torch with a CUDA build of triton (no AMD backend), on a (stand-in) MI300X.
"$TB_PYTHON" tools/testdata/fake_gpu_stack.py --out="$t/rocm_bad" --vendor=rocm --triton_dist=triton \
  --backends=nvidia --pin=pytorch-triton-rocm==3.3.1+gitc8757738 > /dev/null
"$doctor" --python="$t/rocm_bad/python" --scratch_dir="$t" --suites="$t/suites" > "$t/bad.txt"
check_exit "a ROCm torch with a CUDA triton fails" 1 $?
contains "naming both" "$t/bad.txt" "FAIL torch/triton: torch 2.7.1+rocm6.3 is a ROCm build, but triton 3.3.1+gitc8757738 (distribution triton) has no 'amd' backend (it has: nvidia)"
contains "and the fix" "$t/bad.txt" "fix: pip uninstall -y triton && pip install pytorch-triton-rocm==3.3.1+gitc8757738 --index-url https://download.pytorch.org/whl/rocm6.3"
contains "the GPU is described" "$t/bad.txt" "OK   gpu: 1 x AMD Instinct MI300X (gfx942:sramecc+:xnack-, rocm"
contains "MI300 runs the FNUZ task" "$t/bad.txt" "OK   features: AMD Instinct MI300X has every feature the 2 tasks need"
check "still well formed" well_formed "$t/bad.txt"

# Another triton version than torch was built against: a WARN, not a FAIL.
"$TB_PYTHON" tools/testdata/fake_gpu_stack.py --out="$t/cuda_old" --vendor=cuda --triton_dist=triton \
  --triton_version=3.5.0 --backends=amd,nvidia --pin=triton==3.6.0 > /dev/null
"$doctor" --python="$t/cuda_old/python" --scratch_dir="$t" --suites="$t/suites" > "$t/old.txt"
check_exit "a mismatched triton version is no FAIL" 0 $?
contains "but is named with its fix" "$t/old.txt" "WARN torch/triton: torch 2.7.1+cu128 was built against triton==3.6.0, but this environment has triton 3.5.0 (distribution triton)"
contains "an H100 lacks the FNUZ fp8 task" "$t/old.txt" "FP8_E4M3FNUZ: 1 (fnuz)"

"$doctor" --python="$t/no-such-python" --scratch_dir="$t" > "$t/nopy.txt"
check_exit "a missing interpreter fails" 1 $?
contains "naming it and the fix" "$t/nopy.txt" "FAIL python: $t/no-such-python (--python) does not run"

finish
