#!/usr/bin/env bash
# Runs gpu_lock_test.py (standard library only) with the harness's interpreter.
set -euo pipefail
exec "${TB_PYTHON:-python3}" harness/python/gpu_lock_test.py
