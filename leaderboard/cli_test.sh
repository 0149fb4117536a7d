#!/usr/bin/env bash
# tools/leaderboard as a user meets it: build from the real ground-truth records and the
# fixtures, skipped records named with their paths, publish (numbered, immutable), diff.
set -uo pipefail
source tools/shell_checks.sh
lb="$1"
t="$TEST_TMPDIR"

# One fixed run folder (runs are append-only), so the counts below stay true as runs are added.
"$lb" build --runs=results/runs/2026-11-24-h100-ground-truth --out_dir="$t/real" 2> "$t/real.err"
check_exit "builds from the ground-truth records" 0 $?
for f in md json html; do [[ -s "$t/real/leaderboard.$f" ]]; check_exit "writes leaderboard.$f" 0 $?; done
contains "counts the 6 real records" "$t/real.err" "6 run records counted, 0 skipped"
contains "a row per suite on the H100" "$t/real/leaderboard.md" "| 1 | measured | ground_truth | - | NVIDIA H100 80GB HBM3 | 6a90b44b2a8a | 3 | 7 | 100.0% |"
contains "reported GEAK row beside it" "$t/real/leaderboard.md" "| 2 | **reported** | GEAK agent | - | AMD Instinct MI300X | - | - | 184 | - | 54.9% | 2.59x |"
contains "the reported row's source" "$t/real/leaderboard.md" "arXiv:2507.23194"
contains "JSON rows" "$t/real/leaderboard.json" '"configuration": "ground_truth"'
contains "HTML embeds the data" "$t/real/leaderboard.html" '<script id="leaderboard-data" type="application/json">'
lacks "HTML loads nothing from outside" "$t/real/leaderboard.html" 'src="http'
lacks "HTML links no stylesheet" "$t/real/leaderboard.html" '<link'

# Current-suite rows: the 2026-12-03 H200 ROCm run (harness 0.7.0, a content hash per
# result) against the tree's ROCm tasks. Every task changed since (harness 0.8.0 added
# baseline()), so as recorded it counts for no current-suite row; with each result's
# hash set to its task's present one (harness/suite.cc's ContentHash, per folder), as a
# run of today would record it, it makes the rows. Without a suites folder, none, and a note.
"$lb" build --runs=results/runs/2026-12-03-h200-s20/call1,results/runs/2026-12-03-h200-s20-baselines --suites=suites \
  --reported= --out_dir="$t/stale" 2> "$t/stale.err"
check_exit "builds with records older than the tasks" 0 $?
lacks "results of tasks changed since count for no current-suite row" "$t/stale/leaderboard.md" "measured, current suite"
mkdir -p "$t/rehashed"
# -L: copies of the files, not links into the tree (runfiles are links; the records are append-only).
cp -rL results/runs/2026-12-03-h200-s20/call1/run1-rocm results/runs/2026-12-03-h200-s20-baselines/run1-rocm-* "$t/rehashed/"
python3 - "$t/rehashed" suites/rocm <<'PY'
import glob, hashlib, json, os, sys
runs, suite = sys.argv[1:]
def task_hash(folder):
    h = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):  # regular files (followed through links), as ContentHash takes them
            data = open(path, "rb").read()
            h.update(f"{os.path.basename(folder)}/{name}\0{len(data)}\0".encode() + data)
    return h.hexdigest()
for record in glob.glob(os.path.join(runs, "*", "run_record.json")):
    r = json.load(open(record))
    for res in r["results"]:
        res["task_content_hash"] = task_hash(os.path.join(suite, res["task_id"]))
    json.dump(r, open(record, "w"))
    with open(os.path.join(os.path.dirname(record), "results.jsonl"), "w") as f:
        f.writelines(json.dumps(res) + "\n" for res in r["results"])
PY
check_exit "rehashes the records" 0 $?
"$lb" build --runs="$t/rehashed" --suites=suites --reported= --out_dir="$t/current" 2> "$t/current.err"
check_exit "builds with current-suite rows" 0 $?
contains "a current-suite torch.compile row" "$t/current/leaderboard.md" "| measured, current suite | torch_compile | - | NVIDIA H200 |"
contains "its flag says what it combines" "$t/current/leaderboard.md" "current suite: 1 run records combined; of its 31 tasks"
contains "the page badges it" "$t/current/leaderboard.html" "'current suite'"
"$lb" build --runs=results/runs/2026-12-03-h200-s20/call1 --suites="$t/no-such" --reported= > "$t/nosuites.md" 2> "$t/nosuites.err"
check_exit "builds without a suites folder" 0 $?
contains "says there are no current-suite rows" "$t/nosuites.err" "no-such"
lacks "and shows none" "$t/nosuites.md" "measured, current suite"

"$lb" build --runs=leaderboard/testdata/runs --reported= --out_dir="$t/fix" 2> "$t/fix.err"
check_exit "builds despite bad records" 0 $?
contains "says how many were skipped" "$t/fix.err" "5 run records counted, 3 skipped"
contains "names the corrupt record" "$t/fix.err" "skipped leaderboard/testdata/runs/bad/corrupt/run_record.json: corrupt run_record.json"
contains "Markdown lists skipped records" "$t/fix/leaderboard.md" "| leaderboard/testdata/runs/bad/interrupted/run_record.json | partial record: the run was interrupted |"
contains "Markdown shows the count" "$t/fix/leaderboard.md" "5 run records counted, 3 skipped"
contains "LLM figures of the agent fixture" "$t/fix/leaderboard.md" "| 3.0 (never:1 2:1 3:1 7:1) | 5.5 | 6000 | \$0.0550 |"
contains "suite versions flagged" "$t/fix/leaderboard.md" "is one of 2 versions of fixture_suite"
lacks "no reported rows when --reported is empty" "$t/fix/leaderboard.md" "| **reported** |"

"$lb" build --runs=/nonexistent 2> "$t/missing.err" > /dev/null
check_exit "a missing runs folder fails" 1 $?
contains "and says which" "$t/missing.err" "no run folder /nonexistent"

v="$t/versions"
"$lb" publish --runs=results/runs/2026-11-24-h100-ground-truth --versions_dir="$v" --note="ground truth" --date=2026-11-25 > "$t/p1.out" 2>&1
check_exit "publishes version 1" 0 $?
contains "into 0001" "$t/p1.out" "published $v/0001"
"$lb" publish --runs=leaderboard/testdata/runs,results/runs/2026-11-24-h100-ground-truth --versions_dir="$v" --note="with fixtures" --date=2026-11-26 > "$t/p2.out" 2>&1
check_exit "publishes version 2" 0 $?
cp "$v/0001/leaderboard.json" "$t/v1.json"
"$lb" publish --runs=results/runs/2026-11-24-h100-ground-truth --versions_dir="$v" --note=again --version=1 > "$t/p3.out" 2>&1
check_exit "refuses to overwrite version 1" 1 $?
contains "and says so" "$t/p3.out" "never overwritten"
cmp -s "$t/v1.json" "$v/0001/leaderboard.json"; check_exit "version 1 is untouched" 0 $?
[[ $(grep -c '^| \[' "$v/CHANGELOG.md") -eq 2 ]]; check_exit "two changelog lines" 0 $?
"$lb" publish --runs=results/runs/2026-11-24-h100-ground-truth --versions_dir="$v" > /dev/null 2>&1
check_exit "publish needs a note" 2 $?

"$lb" diff 1 2 --versions_dir="$v" > "$t/diff.md"
check_exit "diff runs" 0 $?
contains "diff header" "$t/diff.md" "# Leaderboard diff: 1 → 2"
contains "fixture rows appeared" "$t/diff.md" "## Appeared (4)"
contains "the agent row among them" "$t/diff.md" "fixture_suite · agent · model-a · Fixture GPU"
contains "nothing disappeared" "$t/diff.md" "## Disappeared (0)"
contains "real rows unchanged" "$t/diff.md" "rows unchanged."

finish
