#!/usr/bin/env bash
# run_config as a user meets it, with the local test server (tools/llm_test_server)
# playing the LLM on 127.0.0.1: a zero-shot run writes its run record with its
# provenance and reports a fresh evaluation of the kept kernel; running it again
# resumes without repeating the task, unless a prompt template, the configuration or
# the record's provenance says otherwise; replaying the recorded transcripts
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
# The configurations, prompts and knowledge as a copy, so that the test can edit them.
root="$tmp/root"
mkdir -p "$root/agent"
cp -rL agent/configs agent/prompts agent/knowledge agent/corpus "$root/agent/"
chmod -R u+w "$root"
common=(--task=suites/tritonbench_revised/vector_addition --device=cpu --timeout_s=120 --memory_mb=4096
        --scratch_dir="$tmp" --root="$root" --worker="$PWD/harness/python/worker.py")
zero_shot="$root/agent/configs/zero_shot.textproto"

"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > "$tmp/run.out" 2> "$tmp/run.err"
check_exit "a correct kernel exits 0" 0 $?
contains "the progress line names the task" "$tmp/run.out" "vector_addition: PASS"
contains "the record names the configuration" "$tmp/run/run_record.json" '"configuration": "zero_shot"'
contains "the record names the model" "$tmp/run/run_record.json" '"name": "gpt-4.1-2025-04-14"'
contains "the record has the generation stats" "$tmp/run/run_record.json" '"llm_calls": 1'
contains "the record has the tokens" "$tmp/run/run_record.json" '"prompt_tokens": "300"'
contains "the device is named" "$tmp/run.err" "no timing, the optimizer is skipped"
release=$(sed -n 's/^ *name: "\(.*\)"$/\1/p' suites/tritonbench_revised/releases.textproto | tail -1)
contains "the record names the suite's release" "$tmp/run/run_record.json" "\"release\": \"$release\""
contains "the result names its release" "$tmp/run/results.jsonl" "\"release\":\"$release\""
[[ -f "$tmp/run/candidates/vector_addition/iter1_c0.py" ]] && echo "ok: the candidate is kept" || { echo "FAIL: no candidate"; failures=$((failures + 1)); }
contains "the kept kernel is evaluated again" "$tmp/run/candidates/vector_addition/agent_log.txt" \
  "fresh evaluation of the kept candidate iter1_c0.py (new process, new inputs): correct (search: correct)"
contains "the generation keeps the search's verdict" "$tmp/run/generations.jsonl" '"search_execution_ok":true'
[[ -z $(find "$tmp" -maxdepth 1 -name 'tb-*') ]]; check_exit "no scratch folder is left" 0 $?

# The record's provenance, checked against hashes computed here: prompts_sha256 is the
# SHA-256 of `sha256sum`'s listing of the templates; the reported result is the fresh
# evaluation's, with its non-zero input salt.
"$TB_PYTHON" - "$tmp/run" "$root/agent/prompts" > "$tmp/provenance.txt" <<'PY'
import hashlib, json, os, sys
record = json.load(open(os.path.join(sys.argv[1], "run_record.json")))
p = record.get("provenance", {})
folder = sys.argv[2]
listing = "".join("%s  %s\n" % (hashlib.sha256(open(os.path.join(folder, n), "rb").read()).hexdigest(), n)
                  for n in sorted(os.listdir(folder)))
print("prompts", "match" if p.get("prompts_sha256") == hashlib.sha256(listing.encode()).hexdigest() else "differ")
print("configuration", len(p.get("configuration_sha256", "")))
print("knowledge", repr(p.get("knowledge_sha256", "")))
result = json.loads(open(os.path.join(sys.argv[1], "results.jsonl")).readline())
print("salt", "non-zero" if int(result.get("input_salt", "0")) != 0 else "zero")
print("reported salt", "recorded" if record["results"][0].get("input_salt") == result.get("input_salt") else "differs")
PY
contains "prompts_sha256 is the templates' listing hash" "$tmp/provenance.txt" "prompts match"
contains "the configuration is hashed" "$tmp/provenance.txt" "configuration 64"
contains "no knowledge injected, none hashed" "$tmp/provenance.txt" "knowledge ''"
contains "the reported result carries a non-zero input salt" "$tmp/provenance.txt" "salt non-zero"
contains "the record reports the same result" "$tmp/provenance.txt" "reported salt recorded"

"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > "$tmp/resume.out" 2> "$tmp/resume.err"
check_exit "resuming a finished run exits 0" 0 $?
contains "resuming says what it kept" "$tmp/resume.out" "1 task(s) already finished"

"$run_config" --config="$root/agent/configs/one_shot.textproto" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > /dev/null 2> "$tmp/other.err"
check_exit "another configuration into the same folder exits 2" 2 $?
contains "says to choose another folder" "$tmp/other.err" "choose another --out"

# What made the run changed: resuming is refused, naming what, and writes nothing.
cp -r "$tmp/run" "$tmp/run.before"
cp "$root/agent/prompts/task.txt" "$tmp/task.txt"
echo "Answer in haiku." >> "$root/agent/prompts/task.txt"
"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > /dev/null 2> "$tmp/prompt.err"
check_exit "resuming after a prompt template changed exits 2" 2 $?
contains "names the prompts" "$tmp/prompt.err" "prompts_sha256 differs: the prompt templates in $root/agent/prompts changed since the run began; use a new --out"
cp "$tmp/task.txt" "$root/agent/prompts/task.txt"
"$run_config" --config="$zero_shot" --base_url="$base/" --out="$tmp/run" "${common[@]}" \
  > /dev/null 2> "$tmp/config.err"
check_exit "resuming with another --base_url exits 2" 2 $?
contains "names the configuration" "$tmp/config.err" "configuration_sha256 differs: configuration 'zero_shot' as run"
sed -i 's/temperature: 1.0/temperature: 0.5/' "$zero_shot"
"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > /dev/null 2> "$tmp/config_file.err"
check_exit "resuming after the configuration file changed exits 2" 2 $?
contains "names the configuration again" "$tmp/config_file.err" "configuration_sha256 differs"
sed -i 's/temperature: 0.5/temperature: 1.0/' "$zero_shot"
check "the refused runs wrote nothing" diff -r "$tmp/run.before" "$tmp/run"

# A record from before runs recorded their provenance cannot be checked: refused.
cp -r "$tmp/run" "$tmp/old"
"$TB_PYTHON" - "$tmp/old/run_record.json" <<'PY'
import json, sys
record = json.load(open(sys.argv[1]))
del record["provenance"]
json.dump(record, open(sys.argv[1], "w"), indent=2)
PY
"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/old" "${common[@]}" \
  > /dev/null 2> "$tmp/old.err"
check_exit "resuming a record without provenance exits 2" 2 $?
contains "says why" "$tmp/old.err" "records no provenance"

"$run_config" --config="$zero_shot" --base_url="$base" --out="$tmp/run" "${common[@]}" \
  > "$tmp/restored.out" 2> "$tmp/restored.err"
check_exit "restored, resuming exits 0 again" 0 $?
contains "and keeps the finished task" "$tmp/restored.out" "1 task(s) already finished"

kill "$server_pid"; wait "$server_pid"
requests=$(grep -c '"/v1/chat/completions"' "$tmp/requests.jsonl")
[[ "$requests" == 1 ]] && echo "ok: one model call in all (resume repeated nothing)" || { echo "FAIL: $requests calls"; failures=$((failures + 1)); }

unset OPENAI_API_KEY
"$run_config" --config="$zero_shot" --replay="$tmp/run/transcripts/session-0" \
  --out="$tmp/replay" "${common[@]}" > "$tmp/replay.out" 2> "$tmp/replay.err"
check_exit "replay without server or key exits 0" 0 $?
if cmp -s "$tmp/run/candidates/vector_addition/iter1_c0.py" "$tmp/replay/candidates/vector_addition/iter1_c0.py"; then
  echo "ok: replay reproduces the kernel byte for byte"
else
  echo "FAIL: the replayed kernel differs"; cat "$tmp/replay.err"; failures=$((failures + 1))
fi
contains "replay gives the same verdict" "$tmp/replay.out" "vector_addition: PASS"

finish
