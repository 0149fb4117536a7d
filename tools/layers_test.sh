#!/usr/bin/env bash
# The layers of ARCHITECTURE.md on the binaries' dependency graph (layers_test.py), and
# proof that the check fails: the graph with an edge no layer allows.
set -uo pipefail
graph="$1"
python3 tools/layers_test.py "$graph" || exit 1
bad="$TEST_TMPDIR/bad_graph"
{ cat "$graph"; echo '  "//harness:evaluator" -> "//agent:configuration"'; } > "$bad"
out=$(python3 tools/layers_test.py "$bad")
[[ $? -eq 1 && $out == *'//harness:evaluator -> //agent:configuration: the harness layer may not use the agent layer'* ]] ||
  { echo "FAIL: an edge from the harness to the agent was not refused: $out"; exit 1; }
bad2="$TEST_TMPDIR/bad_graph2"
{ cat "$graph"; echo '  "//tools:evaluate" -> "//agent:code_extraction"'; } > "$bad2"
out=$(python3 tools/layers_test.py "$bad2")
[[ $? -eq 1 && $out == *'//tools:evaluate reaches //agent:code_extraction'* ]] ||
  { echo "FAIL: evaluate reaching the agent was not refused: $out"; exit 1; }
echo "PASS: the layers hold, and a breach is named"
