#!/usr/bin/env bash
# The HTML page in a real headless browser (Debian's chromium, installed by
# tools/setup.sh): the inline script must draw the tables, sort them, open a
# drill-down and draw the SVG plots. Reads the DOM after the script ran (--dump-dom),
# so a broken script fails here.
set -uo pipefail
source tools/shell_checks.sh
lb="$1"
chromium="${CHROMIUM:-chromium}"
if ! command -v "$chromium" > /dev/null; then
  echo "FAIL: '$chromium' not found: run tools/setup.sh (it installs Debian's chromium)"
  exit 1
fi
t="$TEST_TMPDIR"
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
dom() {  # dom <url> <out>
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$t/profile" \
    --virtual-time-budget=5000 --dump-dom "$1" > "$2" 2> "$2.err"
  local rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: chromium exited $rc on $1"; tail -5 "$2.err"; failures=$((failures + 1)); }
}

"$lb" build --runs=leaderboard/testdata/runs,results/runs/2026-11-24-h100-ground-truth --out_dir="$t/page" 2> /dev/null || { echo "FAIL: build"; exit 1; }
page="file://$t/page/leaderboard.html"
h1="1111111111111111111111111111111111111111111111111111111111111111"
gt="data-key=\"fixture_suite|$h1|ground_truth||Fixture GPU\""
agent="data-key=\"fixture_suite|$h1|agent|model-a|Fixture GPU\""
zs="data-key=\"fixture_suite|$h1|zero_shot|model-a|Fixture GPU\""

dom "$page" "$t/plain.html"
contains "the script finished" "$t/plain.html" 'data-rendered="true"'
contains "no script error" "$t/plain.html" '<p id="render-error"></p>'
contains "a table per suite" "$t/plain.html" 'id="rows-fixture_suite"'
contains "the real suite's table" "$t/plain.html" 'id="rows-tritonbench_revised"'
contains "the real ground-truth row" "$t/plain.html" 'NVIDIA H100 80GB HBM3'
contains "a reported row" "$t/plain.html" '<tr data-key="reported|tritonbench_revised|GEAK agent||AMD Instinct MI300X" class="reported clickable">'
contains "skipped records counted" "$t/plain.html" '11 run records counted, 3 skipped'
contains "skipped records listed" "$t/plain.html" 'leaderboard/testdata/runs/bad/corrupt/run_record.json'
order "default order: execution accuracy, descending" "$t/plain.html" "$gt" "$agent" "$zs"
contains "accuracy plot" "$t/plain.html" '<svg id="plot-accuracy"'
contains "measured bars" "$t/plain.html" '<rect class="bar measured"'
contains "reported bars" "$t/plain.html" '<rect class="bar reported"'
contains "speedup plot" "$t/plain.html" '<svg id="plot-speedup"'
contains "CI whiskers" "$t/plain.html" '<line class="whisker"'
contains "accuracy against LLM calls" "$t/plain.html" '<svg id="plot-calls"'
# The agent's step curve ends at 75% (y = 12 + 268 * 0.25 = 79), the zero-shot one at 62.5%.
contains "the agent's curve" "$t/plain.html" "V79.0\" stroke=\"#2f6fb3\" data-key=\"fixture_suite|$h1|agent|model-a|Fixture GPU\""
contains "the zero-shot curve" "$t/plain.html" "V112.5\" stroke=\"#c0392b\" data-key=\"fixture_suite|$h1|zero_shot|model-a|Fixture GPU\""
lacks "no drill-down before a click" "$t/plain.html" 'class="detail"'

# The same sort a header click runs, scripted through the URL: ascending accuracy.
dom "$page#sort=exec:asc" "$t/sorted.html"
order "sorted: zero-shot, agent, ground truth" "$t/sorted.html" "$zs" "$agent" "$gt"
contains "the header shows the sort" "$t/sorted.html" '<th data-col="exec" title="sort by exec. acc." aria-sort="ascending">'
dom "$page#sort=configuration:asc" "$t/by_name.html"
order "sorted by name: agent, ground truth, zero-shot" "$t/by_name.html" "$agent" "$gt" "$zs"

# The drill-down a row click opens: per-task results of the agent row.
key="fixture_suite%7C$h1%7Cagent%7Cmodel-a%7CFixture%20GPU"
dom "$page#open=$key" "$t/open.html"
contains "a detail row" "$t/open.html" 'class="detail"'
contains "the per-task table" "$t/open.html" "id=\"tasks-fixture_suite|$h1|agent|model-a|Fixture GPU\""
contains "per-task failure" "$t/open.html" 'WRONG_VALUES x1'
contains "how to reproduce" "$t/open.html" 'fixture (made by leaderboard/testdata/make_fixtures.py)'

# Without any LLM records, the calls plot says why it is empty.
"$lb" build --runs=results/runs/2026-11-24-h100-ground-truth --out_dir="$t/real" 2> /dev/null
dom "file://$t/real/leaderboard.html" "$t/real.html"
contains "real page rendered" "$t/real.html" 'data-rendered="true"'
contains "empty curve explained" "$t/real.html" 'id="plot-calls-empty"'

finish
