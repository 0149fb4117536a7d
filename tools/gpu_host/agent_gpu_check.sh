#!/usr/bin/env bash
# A GPU host's check of the agent: the three configurations on a GPU host, with the local test
# server (tools/llm_test_server) scripted as the LLM: a wrong kernel, a reflection, a
# fixed but slow kernel, then a faster one (agent/testdata/scripted/). Each
# configuration runs through tools/run_config on vector_addition with timing on, so
# the run records carry measured speedups; the agent's log shows each iteration.
# These are test fixtures, never a model's result. Takes about 4 minutes on an H100
# (results/agent_check/ has the first run).
#
#   tools/gpu_host/agent_gpu_check.sh OUTDIR [BINDIR=dist]
#
# BINDIR holds run_config and llm_test_server (tools/package_binaries.sh packages them
# into dist/). Python
# with torch and triton: $TB_PYTHON, else python3. TB_DEVICE=cpu makes a smoke run of
# the script itself in the interpreter (no speedups).
set -uo pipefail
cd "$(dirname "$0")/../.."
outdir="$1"
bin="${2:-dist}"
python="${TB_PYTHON:-python3}"
mkdir -p "$outdir"
task=suites/tritonbench_revised/vector_addition

# A ServerScript whose /v1/chat/completions answers the named files in order (the last
# repeats), in the OpenAI wire format.
write_script() {
  "$python" - "$@" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
def text_proto_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
with open(out, "w") as f:
    f.write('routes {\n  path: "/v1/chat/completions"\n')
    for name in names:
        text = open(f"agent/testdata/scripted/{name}.txt").read()
        body = json.dumps({"id": "chatcmpl-scripted", "object": "chat.completion", "model": "scripted-test-server",
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 500, "completion_tokens": 200, "total_tokens": 700}})
        f.write(f"  responses {{ body: {text_proto_string(body)} }}\n")
    f.write("}\n")
PY
}

# run NAME CONFIG ANSWER... : serves the answers, runs the configuration, stops the server.
run() {
  local name="$1" config="$2"
  shift 2
  write_script "$outdir/$name.script.textproto" "$@"
  rm -f "$outdir/$name.port"
  "$bin/llm_test_server" --script="$outdir/$name.script.textproto" --port_file="$outdir/$name.port" \
    --requests_out="$outdir/$name.requests.jsonl" &
  local server=$!
  for _ in $(seq 100); do [[ -s "$outdir/$name.port" ]] && break; sleep 0.1; done
  echo "== $name ($config), answers: $* ($(date -u +%T))"
  # libcurl finds its own dependencies (libssh2, ...) beside it only through the path.
  LD_LIBRARY_PATH="$bin/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENAI_API_KEY=local-test-server-takes-any-key "$bin/run_config" --config="$config" --task="$task" \
    --base_url="http://127.0.0.1:$(cat "$outdir/$name.port")" --device="${TB_DEVICE:-gpu}" --python="$python" \
    --repetitions=50 --out="$outdir/$name"
  kill "$server"
  wait "$server" 2>/dev/null
  cat "$outdir/$name/candidates/vector_addition/agent_log.txt" 2>/dev/null
  "$python" - "$outdir/$name/run_record.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for res in r.get("results", []):
    print("verdict:", res.get("failure_kind", "NONE"), "execution_ok:", res.get("execution_ok", False),
          "speedup:", res.get("speedup", "absent"), "hardware:", r.get("environment", {}).get("device_name", "?"))
for g in r.get("generations", []):
    print("generation:", json.dumps(g, sort_keys=True)[:600])
PY
}

run zero_shot agent/configs/zero_shot.textproto wrong
run one_shot agent/configs/one_shot.textproto fixed
run geak agent/testdata/geak_scripted.textproto wrong reflection fixed faster
