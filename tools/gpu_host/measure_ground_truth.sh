#!/usr/bin/env bash
# Times every suite's ground truth (and the PyTorch reference, eager) RUNS times on
# this machine's GPU, one task at a time, one run record per suite and run, under
# OUTDIR/run<k>-<suite>/. Repeated runs give the run-to-run spread. The same as
# tools/gpu_host/device_measure.sh with JOBS=1 (results/runs/2026-11-24-h100-ground-truth was made so).
#   tools/gpu_host/measure_ground_truth.sh [RUNS=3] [OUTDIR=/tmp/gt-runs] [EVALUATE=dist/evaluate]
exec "$(dirname "$0")/device_measure.sh" "${2:-/tmp/gt-runs}" "${1:-3}" 1 "${3:-dist/evaluate}"
