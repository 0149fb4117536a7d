#!/usr/bin/env bash
# GEAK-eval's own tasks as a user runs them, on the fixtures in the upstream layout
# (harness/testdata/upstream, none an upstream file): import_upstream makes the suites
# (and says what it left out and why), evaluate judges the golden files and a
# candidate under both verdicts, run_config poses the instruction exactly as upstream
# does (the local test server plays the LLM), and the leaderboard shows a strict and
# an upstream row of the same runs. A test fixture, never a model's result.
set -uo pipefail
source tools/shell_checks.sh
import="$1"
evaluate="$2"
run_config="$3"
server="$4"
leaderboard="$5"
tmp="$TEST_TMPDIR"
fixtures=harness/testdata/upstream
out="$tmp/imported"

"$import" --checkout="$fixtures/a85e657" --out="$out" --commit=fixture --our_suites="$fixtures/our_suites" \
  --date=2026-01-02 > "$tmp/import.out" 2> "$tmp/import.err"
check_exit "the import of a sound checkout exits 0" 0 $?
contains "it counts TritonBench-revised" "$tmp/import.out" "geak_tbg: 3 imported, 4 skipped -> $out/geak_tbg (release upstream-fixture, new)"
contains "it counts ROCm" "$tmp/import.out" "geak_rocm: 2 imported, 1 skipped"
contains "it names a file without the separator" "$tmp/import.out" "no_separator.py: no separator line (exactly 146 '#')"
contains "and an instruction without a file" "$tmp/import.out" "missing_file.py: the instruction file names it, but"
contains "and the report is kept" "$out/import_report.txt" "geak_rocm: 2 imported, 1 skipped"
contains "nothing imported is committed" "$out/.gitignore" "*"

"$import" --checkout="$fixtures/our_suites" --out="$tmp/bad" > /dev/null 2> "$tmp/bad.err"
check_exit "a checkout at an unknown layout exits 2" 2 $?
contains "naming what was expected" "$tmp/bad.err" "expected tb_eval/data (the paper-time layout, commit a85e657)"
"$import" --checkout="$fixtures/later" --out="$tmp/later" > "$tmp/later.out" 2>&1
check_exit "a later layout without instruction files exits 1" 1 $?
contains "naming the file and the flag" "$tmp/later.out" "missing: expected the instruction file"

# Every golden file passes both verdicts; the run record names the import's release.
"$evaluate" --suite="$out/geak_tbg" --device=cpu --out="$tmp/runs/golden" --scratch_dir="$tmp" \
  > "$tmp/golden.out" 2> "$tmp/golden.err"
check_exit "the golden files pass" 0 $?
contains "under GEAK-eval's rules too" "$tmp/golden.out" "scale_shift                  PASS  (GEAK-eval's rules: PASS)"
contains "the record names the import's release" "$tmp/runs/golden/run_record.json" '"release": "upstream-fixture"'
contains "and each result GEAK-eval's verdict" "$tmp/runs/golden/results.jsonl" '"upstream":{"call_ok":true,"execution_ok":true'

# PyTorch doing the work passes GEAK-eval's rules and fails the strict ones.
"$evaluate" --task="$out/geak_tbg/scale_shift" --candidate="$fixtures/candidates/scale_shift_torch.py" --device=cpu \
  --scratch_dir="$tmp" > "$tmp/torch.out" 2>&1
check_exit "a torch fallback fails" 1 $?
contains "the strict verdict" "$tmp/torch.out" "REJECTED_BY_CHECK(no_triton_kernel)"
contains "beside GEAK-eval's" "$tmp/torch.out" "GEAK-eval:  PASS (call ok yes, exec ok yes"

# Zero-shot through run_config: the prompt is the instruction, byte for byte.
"$TB_PYTHON" - "$tmp/script.textproto" "$fixtures/candidates/scale_shift_block128.py" <<'PY'
import json, sys
text = "```python\n" + open(sys.argv[2]).read() + "```\n"
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
export OPENAI_API_KEY="sk-upstream-test"
"$run_config" --config=agent/configs/zero_shot.textproto --base_url="http://127.0.0.1:$(cat "$tmp/port")" \
  --task="$out/geak_tbg/scale_shift" --out="$tmp/runs/zero_shot" --device=cpu --timeout_s=120 \
  --scratch_dir="$tmp" --root="$PWD" > "$tmp/run.out" 2> "$tmp/run.err"
check_exit "the zero-shot run passes" 0 $?
kill "$server_pid" 2> /dev/null
wait "$server_pid" 2> /dev/null
"$TB_PYTHON" - "$tmp/requests.jsonl" "$out/geak_tbg/scale_shift/task.textproto" > "$tmp/prompt.txt" <<'PY'
import json, re, sys
request = json.loads(json.loads(open(sys.argv[1]).readline())["body"])
user = [m["content"] for m in request["messages"] if m["role"] == "user"][0]
spec = open(sys.argv[2]).read()
instruction = re.search(r'^instruction: "(.*)"$', spec, re.M).group(1).encode().decode("unicode_escape")
print("prompt", "is the instruction" if user == instruction else "differs: %r" % user[:300])
PY
contains "the user message is the upstream instruction" "$tmp/prompt.txt" "prompt is the instruction"

# The leaderboard: this project's suites and the import's, a strict and an upstream row.
"$leaderboard" build --runs="$tmp/runs" --suites="$tmp/no-suites,$out" --reported= --out_dir="$tmp/lb" \
  > /dev/null 2> "$tmp/lb.err"
check_exit "the leaderboard builds" 0 $?
contains "with the import's release" "$tmp/lb/leaderboard.md" "## geak_tbg upstream-fixture"
contains "a strict row" "$tmp/lb/leaderboard.md" "| zero_shot · *strict* |"
contains "and GEAK-eval's" "$tmp/lb/leaderboard.md" "| zero_shot · *GEAK-eval's rules* |"
contains "keyed apart" "$tmp/lb/leaderboard.json" '|judge=upstream"'
contains "the ground truth is summarised" "$tmp/lb/leaderboard.md" "ground truth measured 3/3 on"
lacks "once, not once per judge" "$tmp/lb/leaderboard.md" "correct), 3/3 on"
[[ -z $(find "$tmp" -maxdepth 1 -name 'tb-*') ]]; check_exit "no scratch folder is left" 0 $?
finish
