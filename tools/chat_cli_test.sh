#!/usr/bin/env bash
# The chat CLI as a user meets it, against the local test server (tools/llm_test_server)
# on 127.0.0.1: every provider's wire format, the error paths (HTTP errors, malformed,
# truncated and slow answers, a missing key, an unreachable URL), record and replay,
# and the key never printed.
set -uo pipefail
source tools/shell_checks.sh
chat="$1"
server="$2"
tmp="$TEST_TMPDIR"
key="sk-cli-test-SECRET-0123456789"

"$server" --port_file="$tmp/port" --requests_out="$tmp/requests.jsonl" --leak="$key" > "$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$tmp/port" ]] && break; sleep 0.05; done
[[ -s "$tmp/port" ]] || { echo "FAIL: the test server did not start"; cat "$tmp/server.log"; kill "$server_pid"; exit 1; }
base="http://127.0.0.1:$(cat "$tmp/port")"
export OPENAI_API_KEY="$key" ANTHROPIC_API_KEY="$key" GEMINI_API_KEY="$key"
fast=(--model=test-model --initial_backoff_s=0.01 --max_attempts=2 --timeout_s=5)

for provider in openai anthropic gemini; do
  "$chat" --provider=$provider --base_url="$base" "${fast[@]}" --system="Be brief." --prompt="Say hello" \
    --temperature=0 --max_tokens=16 > "$tmp/$provider.out" 2> "$tmp/$provider.err"
  check_exit "$provider: an answer exits 0" 0 $?
  contains "$provider: prints the answer" "$tmp/$provider.out" "Hello from the test server."
  contains "$provider: prints the usage" "$tmp/$provider.out" "prompt_tokens=12 completion_tokens=6"

  "$chat" --provider=$provider --base_url="$base/r429" "${fast[@]}" --prompt=hi > "$tmp/r429.out" 2>&1
  check_exit "$provider: 429 then success exits 0" 0 $?
  contains "$provider: the retry is counted" "$tmp/r429.out" "retries=1"

  "$chat" --provider=$provider --base_url="$base/e500" "${fast[@]}" --prompt=hi > /dev/null 2> "$tmp/e500.err"
  check_exit "$provider: a 500 exits 1" 1 $?
  contains "$provider: the error has the status" "$tmp/e500.err" "HTTP 500"
  contains "$provider: the error has the provider's message" "$tmp/e500.err" "the test server is overloaded"

  "$chat" --provider=$provider --base_url="$base/e401" "${fast[@]}" --prompt=hi > "$tmp/e401.out" 2> "$tmp/e401.err"
  check_exit "$provider: a 401 exits 1" 1 $?
  contains "$provider: the 401 is reported" "$tmp/e401.err" "HTTP 401: Incorrect API key provided: [REDACTED]"
  lacks "$provider: the key is not printed" "$tmp/e401.err" "$key"

  "$chat" --provider=$provider --base_url="$base/bad" "${fast[@]}" --prompt=hi > /dev/null 2> "$tmp/bad.err"
  check_exit "$provider: a malformed body exits 1" 1 $?
  contains "$provider: says the body is malformed" "$tmp/bad.err" "malformed JSON"

  "$chat" --provider=$provider --base_url="$base/cut" "${fast[@]}" --prompt=hi > /dev/null 2> "$tmp/cut.err"
  check_exit "$provider: a truncated body exits 1" 1 $?
  contains "$provider: the truncation names the URL" "$tmp/cut.err" "$base/cut"

  "$chat" --provider=$provider --base_url="$base/slow" "${fast[@]}" --timeout_s=0.3 --max_attempts=1 \
    --prompt=hi > /dev/null 2> "$tmp/slow.err"
  check_exit "$provider: a slow answer exits 1" 1 $?
  contains "$provider: says it timed out" "$tmp/slow.err" "timed out"
done

# Missing key: names the variable, sends nothing.
env -u ANTHROPIC_API_KEY "$chat" --provider=anthropic --base_url="$base" "${fast[@]}" --prompt=hi 2> "$tmp/nokey.err"
check_exit "a missing key exits 1" 1 $?
contains "the error names the variable" "$tmp/nokey.err" "ANTHROPIC_API_KEY"
"$chat" --provider=openai --api_key_env=MY_VLLM_KEY --base_url="$base" "${fast[@]}" --prompt=hi 2> "$tmp/nokey2.err"
check_exit "a missing custom key exits 1" 1 $?
contains "the error names the custom variable" "$tmp/nokey2.err" "MY_VLLM_KEY"
env -u OPENAI_API_KEY "$chat" --provider=openai --api_key_env= --base_url="$base" "${fast[@]}" --prompt=hi \
  > "$tmp/keyless.out" 2>&1
check_exit "a keyless OpenAI-compatible server works with --api_key_env=" 0 $?

# Unreachable URL: the port of a second server that has stopped again.
"$server" --port_file="$tmp/port2" > /dev/null 2>&1 &
pid2=$!
for _ in $(seq 100); do [[ -s "$tmp/port2" ]] && break; sleep 0.05; done
kill -TERM "$pid2"; wait "$pid2"
dead="http://127.0.0.1:$(cat "$tmp/port2")"
"$chat" --provider=openai --base_url="$dead" "${fast[@]}" --prompt=hi 2> "$tmp/unreach.err"
check_exit "an unreachable URL exits 1" 1 $?
contains "the error names the URL" "$tmp/unreach.err" "cannot reach $dead"

# Record, then replay without the server; the answers are identical.
"$chat" --provider=gemini --base_url="$base" "${fast[@]}" --prompt="record me" --record_dir="$tmp/transcript" \
  > "$tmp/recorded.out"
check_exit "recording exits 0" 0 $?

"$chat" --provider=nosuch --model=m --prompt=hi 2> "$tmp/usage.err"
check_exit "an unknown provider exits 2" 2 $?

kill -TERM "$server_pid"
wait "$server_pid"
check_exit "the server stops cleanly" 0 $?
contains "the server saw the OpenAI key header" "$tmp/requests.jsonl" "\"authorization\":\"Bearer $key\""
contains "the server saw the Anthropic key header" "$tmp/requests.jsonl" "\"x-api-key\":\"$key\""
contains "the server saw the Gemini key header" "$tmp/requests.jsonl" "\"x-goog-api-key\":\"$key\""

env -u GEMINI_API_KEY "$chat" --provider=gemini --base_url="$base" "${fast[@]}" --prompt="record me" \
  --replay_dir="$tmp/transcript" > "$tmp/replayed.out" 2> "$tmp/replayed.err"
check_exit "replay exits 0 with the server gone and no key" 0 $?
head -1 "$tmp/recorded.out" > "$tmp/recorded.text"
head -1 "$tmp/replayed.out" > "$tmp/replayed.text"
cmp -s "$tmp/recorded.text" "$tmp/replayed.text"
check_exit "the replayed answer is identical" 0 $?
contains "replay is marked" "$tmp/replayed.out" "replayed=true"
"$chat" --provider=gemini "${fast[@]}" --prompt="never asked" --replay_dir="$tmp/transcript" 2> "$tmp/unseen.err"
check_exit "an unseen request in replay exits 1" 1 $?
contains "the error names the unseen request" "$tmp/unseen.err" "no recorded answer for request"

for f in "$tmp"/*.out "$tmp"/*.err; do
  if grep -qF -- "$key" "$f"; then echo "FAIL: the key appears in $f"; failures=$((failures + 1)); fi
done
finish
