#!/usr/bin/env bash
# Times every suite's ground truth (and the PyTorch reference, eager) RUNS times on
# this machine's GPU, one run record per suite and run, under OUTDIR/<run>-<suite>/.
# Repeated runs give the run-to-run spread. Needs a built evaluate binary:
#   tools/measure_ground_truth.sh [RUNS=3] [OUTDIR=/tmp/gt-runs] [EVALUATE=.devbin/evaluate]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
outdir="${2:-/tmp/gt-runs}"
evaluate="${3:-.devbin/evaluate}"
python="${TB_PYTHON:-python3}"
status=0
for ((run = 1; run <= runs; run++)); do
  for suite in suites/*/; do
    suite=$(basename "$suite")
    echo "== run $run, suite $suite"
    "$evaluate" --suite="suites/$suite" --device=gpu --time_reference --python="$python" \
      --worker=harness/python/worker.py --out="$outdir/run$run-$suite" || status=1
  done
done
exit $status
