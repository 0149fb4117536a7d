#!/usr/bin/env bash
# Imports the fixtures with tools/import_upstream ($1), then runs upstream_test.py on
# them with the interpreter tools/setup.sh chose ($TB_PYTHON).
set -euo pipefail
if [[ -z "${TB_PYTHON:-}" ]]; then
  echo "TB_PYTHON is not set: run tools/setup.sh, which writes it into .bazelrc.user" >&2
  exit 2
fi
export TRITON_CACHE_DIR="${TEST_TMPDIR:-/tmp}/triton-cache"
imported="${TEST_TMPDIR:-$(mktemp -d)}/imported"
"$1" --checkout=harness/testdata/upstream/a85e657 --out="$imported" --commit=fixture \
  --our_suites=harness/testdata/upstream/our_suites --date=2026-01-01 >/dev/null
exec "$TB_PYTHON" harness/python/upstream_test.py "$imported"
