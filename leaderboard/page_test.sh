#!/usr/bin/env bash
# The HTML page in a real headless browser (Debian's chromium, installed by
# tools/setup.sh), at a desktop and a phone width: the script must draw the rankings,
# drill-down, category and task tables and the SVG charts, sort (the URL fragment runs
# the header click's code) and log nothing to the console. Reads the DOM after the
# script ran (--dump-dom), so a broken script fails here. The screenshots are kept as
# test outputs ($TEST_UNDECLARED_OUTPUTS_DIR). The rows are the fixtures' (testdata/
# make_fixtures.py), labelled as such on the page, never a model's result.
set -uo pipefail
source tools/shell_checks.sh
lb="$1"
chromium="${CHROMIUM:-chromium}"
if ! command -v "$chromium" > /dev/null; then
  echo "FAIL: '$chromium' not found: run tools/setup.sh (it installs Debian's chromium)"
  exit 1
fi
t="$TEST_TMPDIR"
shots="${TEST_UNDECLARED_OUTPUTS_DIR:-$t/shots}"
mkdir -p "$shots"
export HOME="$t/home"
mkdir -p "$HOME"
# order <description> <file> <text>... : each text occurs, in this order.
order() {
  local what="$1" file="$2"; shift 2
  local last=-1 pos
  for text in "$@"; do
    pos=$(grep -bo -F -- "$text" "$file" | head -1 | cut -d: -f1)
    if [[ -z "$pos" || "$pos" -le "$last" ]]; then
      echo "FAIL: $what: '$text' missing or out of order"; failures=$((failures + 1)); return
    fi
    last=$pos
  done
  echo "ok: $what"
}
browse() {  # browse <width> <url> <out> [screenshot]: the DOM after the script, console lines in <out>.err
  local args=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$t/profile"
              --window-size="$1,1600" --virtual-time-budget=5000 --enable-logging=stderr --v=0)
  timeout 60 "$chromium" "${args[@]}" --dump-dom "$2" > "$3" 2> "$3.err"
  local rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: chromium exited $rc on $2"; tail -5 "$3.err"; failures=$((failures + 1)); }
  if [[ $# -gt 3 ]]; then
    timeout 60 "$chromium" "${args[@]/--window-size=$1,1600/--window-size=$1,2600}" --screenshot="$4" "$2" \
      > /dev/null 2>&1
    [[ -s "$4" && "$(head -c 4 "$4" | tail -c 3)" == "PNG" ]]
    check_exit "screenshot $(basename "$4")" 0 $?
  fi
}
clean() {  # clean <page.html>: drawn, no script error, nothing on the console
  local name
  name=$(basename "$1")
  contains "$name: the script finished" "$1" '<body data-rendered="true"'
  contains "$name: no script error" "$1" '<p id="render-error"></p>'
  if grep -q ':CONSOLE' "$1.err"; then
    echo "FAIL: $name: console messages:"; grep ':CONSOLE' "$1.err" | head -5; failures=$((failures + 1))
  else
    echo "ok: $name: no console messages"
  fi
}

# A published figure for the fixture suite, to be drawn beside the measured rows.
cat > "$t/reported.textproto" <<'EOF'
rows {
  suite: "fixture_suite"
  configuration: "paper agent"
  hardware: "Paper GPU"
  tasks: 5
  pass_at_k { k: 4 value: 0.8 }
  speedup_geak { value: 1.5 }
  source: "made up for the page test"
  definitions: "best of 4 runs per task: pass@4"
}
EOF
"$lb" build --runs=leaderboard/testdata/runs,results/runs/2026-11-24-h100-ground-truth \
  --suites=leaderboard/testdata/suites --reported="$t/reported.textproto" --out_dir="$t/page" 2> "$t/build.err" \
  || { echo "FAIL: build"; cat "$t/build.err"; exit 1; }
page="file://$t/page/leaderboard.html"
key() { echo "fixture_suite|1.1|$1"; }
gt="data-key=\"$(key 'ground_truth||Fixture GPU')\""
gt_b="data-key=\"$(key 'ground_truth||Fixture GPU B')\""
tc="data-key=\"$(key 'torch_compile||Fixture GPU')\""
te="data-key=\"$(key 'torch_eager||Fixture GPU')\""
agent="data-key=\"$(key 'geak_agent|fixture-model-a|Fixture GPU')\""
zs="data-key=\"$(key 'zero_shot|fixture-model-a|Fixture GPU')\""
paper='data-key="reported|fixture_suite|paper agent||Paper GPU"'

for width in 1400 420; do
  d="$t/w$width.html"
  browse "$width" "$page" "$d" "$shots/leaderboard-$width.png"
  clean "$d"
  contains "$width: a ranking per release" "$d" 'id="rank-fixture_suite-1.1"'
  contains "$width: the older release's ranking" "$d" 'id="rank-fixture_suite-1.0"'
  order "$width: model, reference and reported groups in that order" "$d" \
    '<tbody class="group model"' "$agent" "$zs" '<tbody class="group reference"' "$gt" "$tc" "$gt_b" "$te" \
    '<tbody class="group reported"' "$paper"
  contains "$width: the partial row is badged" "$d" 'title="measured 3 of the release'"'"'s 5 tasks">partial</span>'
  contains "$width: coverage of the partial row" "$d" '<td class="num">3/5</td>'
  contains "$width: fixtures are labelled" "$d" '<span class="badge fixture"'
  contains "$width: the reported row's pass@4" "$d" '80.0%<small class="sub">k=4</small>'
  contains "$width: the speedup strip plot" "$d" '<svg id="plot-speedups-fixture_suite-1.1"'
  contains "$width: a dot per correct, timed task" "$d" '<title>add: 1.41x</title>'
  contains "$width: accuracy against iterations" "$d" '<svg id="plot-iterations-fixture_suite-1.1"'
  contains "$width: the agent's iteration curve" "$d" "<path class=\"curve\""
  contains "$width: pass@k against k" "$d" '<svg id="plot-passk-fixture_suite-1.1"'
  contains "$width: the reported figure beside the curves" "$d" '<title>paper agent · Paper GPU (reported, k=4): 80.0%</title>'
  contains "$width: the per-category table" "$d" 'id="categories-fixture_suite-1.1"'
  contains "$width: the per-task matrix" "$d" 'id="matrix-fixture_suite-1.1"'
  contains "$width: a failed cell says why" "$d" 'title="WRONG_VALUES: case '"'"'small'"'"' seed 1: 3 of 4 elements outside tolerance"'
  contains "$width: unreleased results listed" "$d" 'leaderboard/testdata/runs/unreleased/run1/run_record.json'
  contains "$width: real records of suites not in the folder listed" "$d" "no suite folder 'rocm' in the suites folder"
  contains "$width: refused records listed" "$d" "release: '2.0' is not a release of fixture_suite"
  lacks "$width: no drill-down before a click" "$d" 'class="detail"'
done

# Links: the ground truth's kernel and an LLM run's candidate, each a file that exists.
d="$t/w1400.html"
for file in leaderboard/testdata/suites/fixture_suite/add/kernel.py \
            leaderboard/testdata/runs/zero_shot/run1/candidates/add/iter1_c0.py; do
  href=$(grep -o "href=\"[^\"]*$file\"" "$d" | head -1 | sed 's/^href="//; s/"$//; s|^file://||')
  [[ -n "$href" && -f "$href" ]]
  check_exit "links $file (as '$href')" 0 $?
done

# The same sort a header click runs, scripted through the URL.
browse 1400 "$page#sort=exec:asc" "$t/sorted.html"
clean "$t/sorted.html"
order "by accuracy over measured tasks, ascending: torch.compile first" "$t/sorted.html" "$tc" "$gt" "$gt_b" "$te"
order "and the models sorted on their own" "$t/sorted.html" "$zs" "$agent" '<tbody class="group reference"'
contains "the header shows the sort" "$t/sorted.html" 'data-col="exec" title="share of the measured tasks that passed every check. Click to sort." aria-sort="ascending"'
browse 1400 "$page#sort=exec_release:asc" "$t/sorted_release.html"
order "by accuracy over the release, ascending" "$t/sorted_release.html" "$te" "$gt_b" "$tc" "$gt"

# The drill-down a row click opens: the agent's per-task results, with verdicts and code.
browse 1400 "$page#open=$(key 'geak_agent|fixture-model-a|Fixture GPU' | sed 's/|/%7C/g; s/ /%20/g')" "$t/open.html" \
  "$shots/leaderboard-open-1400.png"
clean "$t/open.html"
contains "a detail row" "$t/open.html" 'class="detail"'
contains "the per-task table" "$t/open.html" "id=\"tasks-$(key 'geak_agent|fixture-model-a|Fixture GPU')\""
contains "a failure's verdict" "$t/open.html" 'WRONG_VALUES: fixture failure of extra'
contains "both runs' candidates linked" "$t/open.html" 'agent/run2/candidates/add/iter1_c0.py'
contains "the fixture flag" "$t/open.html" 'test fixture: made-up records for the tests'

# A release no LLM run measured: the scaling charts say why they are empty.
"$lb" build --runs=leaderboard/testdata/runs/ground_truth --suites=leaderboard/testdata/suites --reported= \
  --out_dir="$t/gt" 2> /dev/null
browse 420 "file://$t/gt/leaderboard.html" "$t/gt.html" "$shots/leaderboard-references-only-420.png"
clean "$t/gt.html"
contains "empty curve explained" "$t/gt.html" 'id="plot-passk-fixture_suite-1.1-empty"'
contains "its speedups still drawn" "$t/gt.html" '<svg id="plot-speedups-fixture_suite-1.1"'

finish
