#!/usr/bin/env bash
# tools/portability_audit.py compiles a task's kernels for a GPU this machine lacks and
# holds them to that GPU's limits: a fixture whose tile needs 128 KB of shared memory and
# whose second launch has 32 warps fails for MI300 (gfx942: 64 KB of LDS, 1024 threads
# of 64-lane waves), naming both, and passes for an H100 (sm_90); a real task passes for
# MI300; the audit table names the constructs and the compile's figures.
set -uo pipefail
source tools/shell_checks.sh
: "${TB_PYTHON:?run tools/setup.sh: TB_PYTHON must name the venv python}"
t="$TEST_TMPDIR"
audit=(nice "$TB_PYTHON" tools/portability_audit.py)
fixture=tools/testdata/audit_tasks/big_tiles

"${audit[@]}" --target=gfx942 --json="$t/mi300.json" --markdown="$t/mi300.md" "$fixture" > "$t/mi300.txt"
check_exit "the fixture fails for MI300" 1 $?
contains "its LDS need is named" "$t/mi300.txt" "_one_tile_dot: needs 131072 bytes of shared memory (LDS); AMD Instinct MI300X has 65536"
contains "so are its 32 warps" "$t/mi300.txt" "_add_one: num_warps=32 is 2048 threads at warp size 64; at most 1024"
contains "the table has its row" "$t/mi300.md" "| audit_tasks | big_tiles | - | TL_DOT | 2, 131072 B, 32 | FAIL: "

"${audit[@]}" --target=sm_90 "$fixture" > "$t/h100.txt"
check_exit "the same kernels fit an H100" 0 $?
contains "with their figures" "$t/h100.txt" "OK         big_tiles (sm_90): 2 kernel variant(s), max shared 196608 B, max num_warps 32"

"${audit[@]}" --target=gfx942 --markdown="$t/flip.md" suites/rocm/test_triton_flip > "$t/flip.txt"
check_exit "a real task passes for MI300" 0 $?
contains "naming what it compiled" "$t/flip.txt" "OK         test_triton_flip (gfx942): "
"$TB_PYTHON" tools/portability_audit.py --from_json="$t/mi300.json" > "$t/again.md"
check "the table renders again from the JSON without compiling" cmp -s "$t/mi300.md" "$t/again.md"

finish
