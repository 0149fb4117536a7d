#!/usr/bin/env bash
# tools/leaderboard as a user meets it: rows per suite release from the fixtures (bad
# records named with their file and field, unreleased results listed), the real H100
# ROCm ground truth against a release of the tree's tasks, publish (numbered,
# immutable) and diff between new versions and against an older published one.
set -uo pipefail
source tools/shell_checks.sh
lb="$1"
t="$TEST_TMPDIR"
fixtures=(--runs=leaderboard/testdata/runs --suites=leaderboard/testdata/suites)

"$lb" build "${fixtures[@]}" --reported= --out_dir="$t/fix" 2> "$t/fix.err"
check_exit "builds despite bad records" 0 $?
for f in md json html; do [[ -s "$t/fix/leaderboard.$f" ]]; check_exit "writes leaderboard.$f" 0 $?; done
contains "counts what it read" "$t/fix.err" "11 run records counted, 6 skipped, 3 results unreleased"
contains "names the corrupt record" "$t/fix.err" "skipped leaderboard/testdata/runs/bad/corrupt/run_record.json: corrupt run_record.json"
contains "names the file and field of an unknown release" "$t/fix.err" \
  "skipped leaderboard/testdata/runs/bad/unknown_release/run_record.json: run_record.json: release: '2.0' is not a release of fixture_suite"
contains "and of a release its hash contradicts" "$t/fix.err" \
  "bad/release_mismatch/run_record.json: run_record.json: results[1].release: '1.1', but task 'softmax' was measured with content 13c567f47aec"
contains "and of results.jsonl disagreeing with the record" "$t/fix.err" \
  "bad/jsonl_mismatch/run_record.json: results.jsonl line 1: task_content_hash of 'add'"
contains "lists unreleased results" "$t/fix.err" \
  "unreleased leaderboard/testdata/runs/unreleased/run1/run_record.json: 1 results: task content matches no release of fixture_suite (matmul"
md="$t/fix/leaderboard.md"
contains "the answer first: who leads each release" "$md" \
  "- **fixture_suite 1.1** (latest): top model geak_agent · fixture-model-a · Fixture GPU (fixture), 70.0% exec. accuracy over the release (5/5 measured), GEAK speedup 1.67x; ground truth measured 5/5 on Fixture GPU (100.0% correct), 3/5 on Fixture GPU B (100.0% correct)."
contains "a table per release, newest first" "$md" "## fixture_suite 1.1 (latest release)"
contains "the older release too" "$md" "## fixture_suite 1.0"
# Ground truth on a second GPU measured 3 of 5 tasks: 100% of those, 60% of the release.
contains "a partial row says so" "$md" \
  "| 3 | ground_truth | - | Fixture GPU B | 1 | 3/5 ⚠ partial | 100.0% | 100.0% | 60.0% | - | 1.00x [1.00, 1.00] |"
# Two agent runs: 4 and 3 of 5 correct; every task correct in one of them (pass@2 100%).
contains "the agent's runs as one row" "$md" \
  "| 1 | geak_agent (fixture) | fixture-model-a | Fixture GPU | 2 | 5/5 | 100.0% | 70.0% (runs 60.0%–80.0%) | 70.0% | 100.0% (k=2) |"
contains "GEAK's speedup beside the geomean" "$md" "| 1.67x [1.67, 1.67] | 1.58x [1.58, 1.58] runs 1.581–1.581 |"
contains "the per-category table" "$md" "| matmul | 2 | 0/2 | 0/2 | 2/2 · 1.00x | 2/2 · 0.71x | 1/1 · 1.00x | · |"
contains "the per-task table" "$md" "| softmax | softmax / loss | 1/2 ✗ 1.58x WRONG_VALUES x1 | 0/3 ✗ WRONG_VALUES x3 | ✓ 1.00x | ✗ WRONG_VALUES x1 | · | · |"
contains "fixtures flagged" "$md" "test fixture: made-up records for the tests, not a model's result"
contains "unreleased results listed" "$md" "| leaderboard/testdata/runs/legacy/changed/run_record.json | fixture_suite | torch_eager | 2 |"
contains "skipped records listed" "$md" "| leaderboard/testdata/runs/bad/interrupted/run_record.json | partial record: run_record.json: interrupted"
contains "JSON rows carry coverage" "$t/fix/leaderboard.json" '"tasks_measured": 3'
contains "JSON rows carry the release" "$t/fix/leaderboard.json" '"key": "fixture_suite|1.1|ground_truth||Fixture GPU B"'
contains "HTML embeds the data" "$t/fix/leaderboard.html" '<script id="leaderboard-data" type="application/json"'
contains "HTML embeds the page script" "$t/fix/leaderboard.html" "function rankingTable("
lacks "HTML loads nothing from outside" "$t/fix/leaderboard.html" 'src="http'
lacks "HTML links no stylesheet" "$t/fix/leaderboard.html" '<link'

# The H100 ROCm ground truth of 2026-12-05 (20 of 31 tasks) against a release of the
# tree's ROCm tasks. -L: copies, not links into the tree; the record is rehashed to the
# tree's task content so that the check holds while tasks change (records are append-only).
mkdir -p "$t/suites" "$t/runs"
cp -rL suites/rocm "$t/suites/"
cp -rL results/runs/2026-12-05-h100-s23/run1-rocm results/runs/2026-12-05-h100-s23-baselines/run1-rocm-torch_compile \
  "$t/runs/"
PYTHONDONTWRITEBYTECODE=1 python3 - "$t/runs" "$t/suites/rocm" <<'PY'
import glob, json, os, sys
sys.path.insert(0, "leaderboard/testdata")
from make_fixtures import content_hash, manifest_text
runs, suite = sys.argv[1:]
tasks = {t: content_hash([os.path.join(suite, t)]) for t in sorted(os.listdir(suite))
         if os.path.isfile(os.path.join(suite, t, "task.textproto"))}
with open(os.path.join(suite, "releases.textproto"), "w") as f:
    f.write(manifest_text("rocm", [("1.0", "2026-12-06", "the tree's ROCm tasks", tasks)]))
for record in glob.glob(os.path.join(runs, "*", "run_record.json")):
    jsonl = os.path.join(os.path.dirname(record), "results.jsonl")
    for path in (record, jsonl):
        os.chmod(path, 0o644)
    r = json.load(open(record))
    for res in r["results"]:
        res["task_content_hash"] = tasks[res["task_id"]]
    json.dump(r, open(record, "w"))
    with open(jsonl, "w") as f:
        f.writelines(json.dumps(res) + "\n" for res in r["results"])
PY
check_exit "writes a release of the tree's ROCm tasks" 0 $?
"$lb" build --runs="$t/runs" --suites="$t/suites" --out_dir="$t/rocm" 2> "$t/rocm.err"
check_exit "builds the ROCm release" 0 $?
contains "the ground truth: 20 of 31 measured, all correct; 64.5% only over the release" "$t/rocm/leaderboard.md" \
  "| ground_truth | - | NVIDIA H100 80GB HBM3 | 1 | 20/31 ⚠ partial | 100.0% | 100.0% | 64.5% |"
contains "the answer first says so too" "$t/rocm/leaderboard.md" \
  "- **rocm 1.0** (latest): no model has runs on this release yet; ground truth measured 20/31 on NVIDIA H100 80GB HBM3 (100.0% correct)."
contains "torch.compile beside it" "$t/rocm/leaderboard.md" "| torch_compile | - | NVIDIA H100 80GB HBM3 | 1 | 20/31 ⚠ partial |"
contains "GEAK's reported row beside them, as pass@10" "$t/rocm/leaderboard.md" \
  "| 1 | GEAK agent **reported** | - | AMD Instinct MI300X | - | 30 (the paper's suite) | - | - | - | 63.3% (k=10) | 0.92x |"
contains "and its source" "$t/rocm/leaderboard.md" "arXiv:2507.23194"

"$lb" build "${fixtures[@]}" --suites="$t/no-such" --reported= > "$t/nosuites.md" 2> "$t/nosuites.err"
check_exit "builds without a suites folder" 0 $?
contains "says there are no releases" "$t/nosuites.err" "no suite releases: '$t/no-such' is not a folder"
contains "and lists every result as unreleased" "$t/nosuites.md" "no suite folder 'fixture_suite'"
"$lb" build --runs=/nonexistent 2> "$t/missing.err" > /dev/null
check_exit "a missing runs folder fails" 1 $?
contains "and says which" "$t/missing.err" "no run folder /nonexistent"

v="$t/versions"
"$lb" publish --runs=leaderboard/testdata/runs/ground_truth --suites=leaderboard/testdata/suites --reported= \
  --versions_dir="$v" --note="ground truth" --date=2026-12-06 > "$t/p1.out" 2>&1
check_exit "publishes version 1" 0 $?
contains "into 0001" "$t/p1.out" "published $v/0001"
"$lb" publish "${fixtures[@]}" --reported= --versions_dir="$v" --note="with LLM fixtures" --date=2026-12-07 \
  > "$t/p2.out" 2>&1
check_exit "publishes version 2" 0 $?
contains "the published page links the fixtures from where it lives" "$v/0002/leaderboard.html" "data-link-base=\""
cp "$v/0001/leaderboard.json" "$t/v1.json"
"$lb" publish "${fixtures[@]}" --versions_dir="$v" --note=again --version=1 > "$t/p3.out" 2>&1
check_exit "refuses to overwrite version 1" 1 $?
contains "and says so" "$t/p3.out" "never overwritten"
cmp -s "$t/v1.json" "$v/0001/leaderboard.json"; check_exit "version 1 is untouched" 0 $?
[[ $(grep -c '^| \[' "$v/CHANGELOG.md") -eq 2 ]]; check_exit "two changelog lines" 0 $?
"$lb" publish "${fixtures[@]}" --versions_dir="$v" > /dev/null 2>&1
check_exit "publish needs a note" 2 $?

"$lb" diff 1 2 --versions_dir="$v" > "$t/diff.md"
check_exit "diff runs" 0 $?
contains "diff header" "$t/diff.md" "# Leaderboard diff: 1 → 2"
contains "LLM rows appeared" "$t/diff.md" "fixture_suite 1.1 · geak_agent · fixture-model-a · Fixture GPU"
contains "nothing disappeared" "$t/diff.md" "## Disappeared (0)"
# The ground truth row now combines the unreleased run's one released result (add).
contains "a row whose runs changed" "$t/diff.md" "| fixture_suite 1.1 · ground_truth · Fixture GPU | 1 → 3 | 1 → 2 | 5/5 |"
"$lb" diff leaderboard/versions/0007/leaderboard.json "$v/0002" > "$t/old.md"
check_exit "diff against a version from before releases" 0 $?
contains "its rows read as disappeared" "$t/old.md" "(suite 2c327afc88f8) · ground_truth · NVIDIA H100 80GB HBM3"

finish
