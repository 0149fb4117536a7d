#!/usr/bin/env bash
# A task's test: its ground truth must pass its own harness (correctness on every
# case; on a GPU host also timing), and its baseline() must agree with its reference
# (--check_baseline). Run by the triton_task macro (suites/task.bzl).
#   task_test.sh <path of //tools:evaluate> --task=<task folder>
set -euo pipefail
evaluate="$1"
shift
if [[ -z "${TB_PYTHON:-}" ]]; then
  echo "TB_PYTHON is not set: run tools/setup.sh, which writes it into .bazelrc.user" >&2
  exit 2
fi
exec "$evaluate" --python="$TB_PYTHON" --worker=harness/python/worker.py \
  --scratch_dir="${TEST_TMPDIR:-/tmp}" --probe=false --device="${TB_DEVICE:-auto}" --check_baseline "$@"
