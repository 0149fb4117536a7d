#!/usr/bin/env bash
# Runs yardstick_test.py with the interpreter tools/setup.sh chose ($TB_PYTHON).
set -euo pipefail
if [[ -z "${TB_PYTHON:-}" ]]; then
  echo "TB_PYTHON is not set: run tools/setup.sh, which writes it into .bazelrc.user" >&2
  exit 2
fi
export TRITON_CACHE_DIR="${TEST_TMPDIR:-/tmp}/triton-cache"
exec "$TB_PYTHON" harness/python/yardstick_test.py
