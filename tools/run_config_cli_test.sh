#!/usr/bin/env bash
# run_config as a user meets it, with the local test server (tools/llm_test_server)
# playing the LLM on 127.0.0.1: a zero-shot run writes its run record, running it
# again resumes without repeating the task, and replaying the recorded transcripts
# reproduces the kernel byte for byte. A test fixture, never a model's result.
set -uo pipefail
source tools/shell_checks.sh
run_config="$1"
server="$2"
tmp="$TEST_TMPDIR"

# The script: every chat request is answered with the fixed kernel.
"$TB_PYTHON" - "$tmp/script.textproto" <<'PY'
import json, sys
text = open("agent/testdata/scripted/fixed.txt").read()
body = json.dumps({"id": "chatcmpl-test", "object": "chat.completion", "model": "test-model",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420}})
escaped = body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
open(sys.argv[1], "w").write('routes { path: "/v1/chat/completions" responses { body: "%s" } }\n' % escaped)
PY
"$server" --script="$tmp/script.textproto" --port_file="$tmp/port" --requests_out="$tmp/requests.jsonl" \
  > "$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$tmp/port" ]] && break; sleep 0.05; done
[[ -s "$tmp/port" ]] || { echo "FAIL: the test server did not start"; cat "$tmp/server.log"; kill "$server_pid"; exit 1; }
base="http://127.0.0.1:$(cat "$tmp/port")"
export OPENAI_API_KEY="sk-run-config-test"
common=(--task=suites/tritonbench_revised/vector_addition --device=cpu --timeout_s=120 --memory_mb=4096
        --scratch_dir="$tmp")

"$run_config" --config=agent/configs/zero_shot.textproto --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > "$tmp/run.out" 2> "$tmp/run.err"
check_exit "a correct kernel exits 0" 0 $?
contains "the progress line names the task" "$tmp/run.out" "vector_addition: PASS"
contains "the record names the configuration" "$tmp/run/run_record.json" '"configuration": "zero_shot"'
contains "the record names the model" "$tmp/run/run_record.json" '"name": "gpt-4.1-2025-04-14"'
contains "the record has the generation stats" "$tmp/run/run_record.json" '"llm_calls": 1'
contains "the record has the tokens" "$tmp/run/run_record.json" '"prompt_tokens": "300"'
contains "the device is named" "$tmp/run.err" "no timing, the optimizer is skipped"
[[ -f "$tmp/run/candidates/vector_addition/iter1_c0.py" ]] && echo "ok: the candidate is kept" || { echo "FAIL: no candidate"; failures=$((failures + 1)); }
[[ -z $(find "$tmp" -maxdepth 1 -name 'tb-*') ]]; check_exit "no scratch folder is left" 0 $?

"$run_config" --config=agent/configs/zero_shot.textproto --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > "$tmp/resume.out" 2> "$tmp/resume.err"
check_exit "resuming a finished run exits 0" 0 $?
contains "resuming says what it kept" "$tmp/resume.out" "1 task(s) already finished"

"$run_config" --config=agent/configs/one_shot.textproto --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > /dev/null 2> "$tmp/other.err"
check_exit "another configuration into the same folder exits 2" 2 $?
contains "says to choose another folder" "$tmp/other.err" "choose another --out"

kill "$server_pid"; wait "$server_pid"
requests=$(grep -c '"/v1/chat/completions"' "$tmp/requests.jsonl")
[[ "$requests" == 1 ]] && echo "ok: one model call in all (resume repeated nothing)" || { echo "FAIL: $requests calls"; failures=$((failures + 1)); }

unset OPENAI_API_KEY
"$run_config" --config=agent/configs/zero_shot.textproto --replay="$tmp/run/transcripts/session-0" \
  --out="$tmp/replay" "${common[@]}" > "$tmp/replay.out" 2> "$tmp/replay.err"
check_exit "replay without server or key exits 0" 0 $?
if cmp -s "$tmp/run/candidates/vector_addition/iter1_c0.py" "$tmp/replay/candidates/vector_addition/iter1_c0.py"; then
  echo "ok: replay reproduces the kernel byte for byte"
else
  echo "FAIL: the replayed kernel differs"; cat "$tmp/replay.err"; failures=$((failures + 1))
fi
contains "replay gives the same verdict" "$tmp/replay.out" "vector_addition: PASS"

finish
