"""A stand-in for harness/python/worker.py that writes a passing result without
evaluating anything: with the request's token when the candidate path contains
"adversarial/..", else without it (as a forger that never saw the request would)."""
import json
import sys

with open(sys.argv[sys.argv.index("--request") + 1]) as f:
    request = json.load(f)
result = {"call_ok": True, "execution_ok": True, "failure_kind": "NONE", "message": "forged"}
if "adversarial/.." in request["candidate_path"]:
    result["result_token"] = request["result_token"]
with open(request["result_path"], "w") as f:
    json.dump(result, f)
