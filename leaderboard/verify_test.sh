#!/usr/bin/env bash
# `leaderboard verify` as a reviewer meets it. It passes on a committed ground-truth run
# (re-judged on the CPU: correctness only) and on an LLM run made here with run_config
# against the scripted local server (a test fixture, never a model's result); it fails,
# naming the file and the field, on copies tampered with: a kept kernel, a transcript,
# a result, a task hash, the release, a corrupt or partial record. results/ is only read.
set -uo pipefail
source tools/shell_checks.sh
leaderboard="$1"
run_config="$2"
server="$3"
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
tmp="$TEST_TMPDIR"
verify=("$leaderboard" verify --device=cpu --scratch_dir="$tmp" --timeout_s=120 --memory_mb=4096)

# A committed ground-truth run (measured on an H100, before the release field existed).
gt=results/runs/2026-12-05-h100-s23/run1-rocm
"${verify[@]}" "$gt" --tasks=test_reverse_range > "$tmp/gt.out" 2>&1
check_exit "a committed ground-truth run verifies" 0 $?
contains "the verdict says it passed" "$tmp/gt.out" "VERDICT: PASSED"
contains "the schema check passed" "$tmp/gt.out" "[OK] schema: run_record.json, results.jsonl parse and agree: 20 results"
contains "the release is derived from the hashes" "$tmp/gt.out" "[OK] release: release 1.0 of suites/rocm"
contains "the older record is said to predate the field" "$tmp/gt.out" "predates its release field"
contains "the kernel was re-judged" "$tmp/gt.out" "test_reverse_range: PASS as recorded"
contains "the CPU compares no speedup" "$tmp/gt.out" "speedup not compared (recorded on NVIDIA H100 80GB HBM3"
contains "a ground-truth run has no transcripts" "$tmp/gt.out" "[n/a] transcripts"

# A ground-truth copy whose result names other task content.
cp -rL "$gt" "$tmp/gt-hash" && chmod -R u+w "$tmp/gt-hash"
"$TB_PYTHON" - "$tmp/gt-hash" <<'PY'
import json, sys
d = sys.argv[1]
lines = open(f"{d}/results.jsonl").read().splitlines()
first = json.loads(lines[0]); first["task_content_hash"] = "0" * 64; lines[0] = json.dumps(first)
open(f"{d}/results.jsonl", "w").write("\n".join(lines) + "\n")
record = json.load(open(f"{d}/run_record.json"))
record["results"][0]["task_content_hash"] = "0" * 64
json.dump(record, open(f"{d}/run_record.json", "w"), indent=1)
PY
"${verify[@]}" "$tmp/gt-hash" --checks=release > "$tmp/gt-hash.out" 2>&1
check_exit "a result with another task hash fails" 1 $?
contains "the failure names the file, line and field" "$tmp/gt-hash.out" "FAILED results.jsonl: task_content_hash: the results match no release"

# An LLM run: zero-shot over two tasks, one answered right, one without its entry point.
"$TB_PYTHON" - "$tmp/script.textproto" <<'PY'
import json, sys
text = open("agent/testdata/scripted/fixed.txt").read()
body = json.dumps({"id": "chatcmpl-test", "object": "chat.completion", "model": "test-model",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420}})
escaped = body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
open(sys.argv[1], "w").write('routes { path: "/v1/chat/completions" responses { body: "%s" } }\n' % escaped)
PY
"$server" --script="$tmp/script.textproto" --port_file="$tmp/port" > "$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$tmp/port" ]] && break; sleep 0.05; done
[[ -s "$tmp/port" ]] || { echo "FAIL: the test server did not start"; kill "$server_pid"; exit 1; }
OPENAI_API_KEY=sk-verify-test "$run_config" --config=agent/configs/zero_shot.textproto \
  --base_url="http://127.0.0.1:$(cat "$tmp/port")" --out="$tmp/llm" --device=cpu --timeout_s=120 --memory_mb=4096 \
  --scratch_dir="$tmp" --task=suites/tritonbench_revised/vector_addition,suites/tritonbench_revised/triton_mul2 \
  > "$tmp/llm-run.out" 2>&1
check_exit "the fixture run has one task wrong" 1 $?
kill "$server_pid"; wait "$server_pid" 2>/dev/null

"${verify[@]}" "$tmp/llm" --jobs=2 > "$tmp/llm.out" 2>&1
check_exit "the LLM run verifies" 0 $?
contains "the verdict says it passed" "$tmp/llm.out" "VERDICT: PASSED"
contains "the generations were checked" "$tmp/llm.out" "generations.jsonl parse and agree: 2 results"
contains "the record names its release" "$tmp/llm.out" "[OK] release: release 1.0 of suites/tritonbench_revised"
contains "the replay reproduced the kept kernel" "$tmp/llm.out" \
  "vector_addition: 2 file(s) of candidates/vector_addition/ reproduced byte for byte (transcripts/session-0)"
contains "the right kernel was re-judged right" "$tmp/llm.out" "vector_addition: PASS as recorded"
contains "the wrong kernel was re-judged wrong" "$tmp/llm.out" "triton_mul2: FAIL (MISSING_ENTRY_POINT) as recorded"

tampered() {  # tampered NAME: a fresh copy of the LLM run
  rm -rf "${tmp:?}/$1" && cp -r "$tmp/llm" "$tmp/$1" && echo "$tmp/$1"
}

# A kept kernel edited after the run.
dir=$(tampered kernel)
echo "# a line added after the run" >> "$dir/candidates/vector_addition/iter1_c0.py"
"${verify[@]}" "$dir" --tasks=vector_addition > "$tmp/kernel.out" 2>&1
check_exit "an edited kept kernel fails" 1 $?
contains "the replay names the file" "$tmp/kernel.out" "FAILED candidates/vector_addition/iter1_c0.py: differs from its replay"
contains "the re-judge names the hash field" "$tmp/kernel.out" \
  "FAILED candidates/vector_addition/iter1_c0.py: sha256"
contains "... against the result's candidate_sha256" "$tmp/kernel.out" "candidate_sha256"

# A transcript edited: the recorded answer now holds another kernel.
dir=$(tampered transcript)
"$TB_PYTHON" - "$dir/transcripts/session-0" <<'PY'
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*.json"):
    entry = json.load(open(path))
    entry["response"]["text"] = entry["response"]["text"].replace("import triton", "import triton  # edited", 1)
    json.dump(entry, open(path, "w"), indent=1)
PY
"${verify[@]}" "$dir" --tasks=vector_addition --checks=transcripts > "$tmp/transcript.out" 2>&1
check_exit "an edited transcript fails" 1 $?
contains "the failure names the kernel the replay changed" "$tmp/transcript.out" \
  "FAILED candidates/vector_addition/iter1_c0.py: differs from its replay (session-0)"
contains "... and the raw answer" "$tmp/transcript.out" \
  "FAILED candidates/vector_addition/iter1_c0.py.answer.txt: differs from its replay"

# A transcript missing: no session answers the calls.
dir=$(tampered no-transcripts)
rm -r "$dir/transcripts"
"${verify[@]}" "$dir" --tasks=vector_addition --checks=transcripts > "$tmp/no-transcripts.out" 2>&1
check_exit "an LLM run without transcripts fails" 1 $?
contains "the failure names the folder" "$tmp/no-transcripts.out" "FAILED transcripts/: missing"

# A result edited consistently in both files (execution_ok flipped, counts fixed).
dir=$(tampered result)
"$TB_PYTHON" - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
out = []
for line in open(f"{d}/results.jsonl"):
    r = json.loads(line)
    if r["task_id"] == "vector_addition":
        r["execution_ok"] = False
    out.append(json.dumps(r))
open(f"{d}/results.jsonl", "w").write("\n".join(out) + "\n")
record = json.load(open(f"{d}/run_record.json"))
for r in record["results"]:
    if r["task_id"] == "vector_addition":
        r["execution_ok"] = False
record["execution_ok"] = 0
json.dump(record, open(f"{d}/run_record.json", "w"), indent=1)
PY
"${verify[@]}" "$dir" --tasks=vector_addition --checks=rejudge > "$tmp/result.out" 2>&1
check_exit "a flipped verdict fails the re-judge" 1 $?
contains "the failure names the line and field" "$tmp/result.out" \
  "(task vector_addition): execution_ok: recorded false, re-judged true"

# The same flip in results.jsonl alone: the files disagree.
dir=$(tampered result-lines)
sed -i '/"task_id":"vector_addition"/s/"execution_ok":true/"execution_ok":false/' "$dir/results.jsonl"
"${verify[@]}" "$dir" --checks=release > "$tmp/lines.out" 2>&1
check_exit "results.jsonl disagreeing with the record fails" 1 $?
contains "the failure names both files and the field" "$tmp/lines.out" \
  "(task vector_addition): differs from run_record.json results["
contains "... with the field" "$tmp/lines.out" "execution_ok"

# Another task hash in both files.
dir=$(tampered hash)
sed -i 's/"task_content_hash": "[0-9a-f]*"/"task_content_hash": "'"$(printf '1%.0s' {1..64})"'"/' "$dir/run_record.json"
sed -i 's/"task_content_hash":"[0-9a-f]*"/"task_content_hash":"'"$(printf '1%.0s' {1..64})"'"/' "$dir/results.jsonl"
"${verify[@]}" "$dir" --checks=release > "$tmp/hash.out" 2>&1
check_exit "a changed task_content_hash fails" 1 $?
contains "the failure names the field and the release's hash" "$tmp/hash.out" \
  "task_content_hash: '1111111111111111111111111111111111111111111111111111111111111111' is not release 1.0's"

# A release the manifest does not have.
dir=$(tampered release)
sed -i 's/"release": "1.0"/"release": "9.9"/' "$dir/run_record.json"
"${verify[@]}" "$dir" --checks=release > "$tmp/release.out" 2>&1
check_exit "an unknown release fails" 1 $?
contains "the failure names the field and the manifest" "$tmp/release.out" \
  "FAILED run_record.json: release: '9.9' is not a release in suites/tritonbench_revised/releases.textproto"

# Corrupt and partial folders.
dir=$(tampered corrupt)
head -c 200 "$tmp/llm/run_record.json" > "$dir/run_record.json"
"${verify[@]}" "$dir" > "$tmp/corrupt.out" 2>&1
check_exit "a corrupt record fails" 1 $?
contains "the failure names the file" "$tmp/corrupt.out" "FAILED run_record.json: does not parse as a RunRecord"
contains "nothing else runs on it" "$tmp/corrupt.out" "[SKIPPED] re-judge: not run: the folder cannot be read"
dir=$(tampered partial)
head -1 "$tmp/llm/results.jsonl" > "$dir/results.jsonl"
sed -i 's/"interrupted": false/"interrupted": true/' "$dir/run_record.json"
"${verify[@]}" "$dir" --checks=release > "$tmp/partial.out" 2>&1
check_exit "a partial run fails" 1 $?
contains "the failure says it was interrupted" "$tmp/partial.out" "FAILED run_record.json: interrupted: true (a partial run)"
contains "the failure names the missing result" "$tmp/partial.out" "): not in results.jsonl"

"${verify[@]}" "$tmp/llm" --tasks=no_such_task > "$tmp/usage.out" 2>&1
check_exit "an unknown --tasks entry is a usage error" 2 $?
contains "the usage error names it" "$tmp/usage.out" "--tasks: 'no_such_task' is not a task of"
ls "$tmp" | grep -q '^verify-' && { echo "FAIL: a temporary folder was left behind"; failures=$((failures + 1)); }
finish
