#!/usr/bin/env bash
# Runs verdicts_test.py (standard library only) against the proto in this tree.
set -euo pipefail
exec "${TB_PYTHON:-python3}" harness/python/verdicts_test.py harness/proto/evaluation.proto
