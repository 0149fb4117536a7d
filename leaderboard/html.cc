#include "leaderboard/html.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "leaderboard/json_io.h"

namespace tritonbench {
namespace {

// Everything between the embedded data and the end of the page.
constexpr char kStyle[] = R"css(
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 16px 18px; color: #1d232b; background: #fbfbfc; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #dde1e6; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #56606b; margin: 0 0 12px; }
.warn { color: #8a4b00; }
table { border-collapse: collapse; margin: 6px 0 14px; background: #fff; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #dde1e6; padding: 3px 5px; vertical-align: top; text-align: left; white-space: nowrap; }
th { white-space: normal; max-width: 72px; vertical-align: bottom; background: #eef1f4; cursor: pointer; user-select: none; position: relative; }
th:hover { background: #e1e6eb; }
th[aria-sort="ascending"]::after { content: " \25B2"; font-size: 10px; }
th[aria-sort="descending"]::after { content: " \25BC"; font-size: 10px; }
td.num { text-align: right; white-space: nowrap; }
td { white-space: nowrap; }
td.wrap { white-space: normal; min-width: 110px; max-width: 200px; }
table.sortable { font-size: 12px; }
tr.clickable { cursor: pointer; }
tr.clickable:hover td { background: #f3f7fc; }
tr.reported td { background: #fff8ee; font-style: italic; }
tr.open td { background: #e8f0fb; }
tr.detail > td { background: #f7f9fb; white-space: normal; padding: 8px 14px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; font-style: normal; }
.badge.reported { background: #f4a63a; color: #fff; }
.badge.measured { background: #2f6fb3; color: #fff; }
.badge.current { background: #3a8f5c; color: #fff; }
.flag { color: #8a4b00; }
.plots { display: flex; flex-wrap: wrap; gap: 18px; }
.plot { background: #fff; border: 1px solid #dde1e6; padding: 8px; }
.plot h3 { margin: 0 0 4px; }
svg text { font: 11px system-ui, sans-serif; fill: #1d232b; }
svg .axis { stroke: #8b949e; stroke-width: 1; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .bar.measured { fill: #2f6fb3; }
svg .bar.reported { fill: #f4a63a; }
svg .whisker { stroke: #1d232b; stroke-width: 1.2; }
svg .ref { stroke: #c0392b; stroke-dasharray: 4 3; }
svg .curve { fill: none; stroke-width: 2; }
.scroll { overflow-x: auto; max-width: 100%; }
small.sub { color: #56606b; font-size: 11px; }
code { background: #eef1f4; padding: 0 3px; border-radius: 3px; }
#render-error { color: #b00020; font-weight: bold; }
.empty { color: #56606b; font-style: italic; max-width: 520px; }
)css";

constexpr char kScript[] = R"js(
(function () {
'use strict';
var data = JSON.parse(document.getElementById('leaderboard-data').textContent);
var rows = data.rows || [];
var thresholds = data.fast_p_thresholds || [];
var SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  var e = document.createElement(tag);
  for (var k in (attrs || {})) e.setAttribute(k, attrs[k]);
  for (var i = 2; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
function svg(tag, attrs, text) {
  var e = document.createElementNS(SVG, tag);
  for (var k in (attrs || {})) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function has(x) { return x !== undefined && x !== null; }
function pct(x) { return has(x) ? (100 * x).toFixed(1) + '%' : '-'; }
function sn(x) { x = Number(x); return x !== 0 && Math.abs(x) < 0.1 ? String(Number(x.toPrecision(2))) : x.toFixed(2); }
function sx(x) { return has(x) ? sn(x) + 'x' : '-'; }
function num(x, d) { return has(x) ? Number(x).toFixed(d) : '-'; }
// Value on top, its interval or spread beneath, smaller.
function stacked(top, below) {
  if (!below) return top;
  return el('span', {}, top, el('br'), el('small', {'class': 'sub'}, below));
}
function estNode(e) {
  if (!e) return '-';
  if (!e.n) return sx(e.value);
  return stacked(sx(e.value), '[' + sn(e.ci_low) + ', ' + sn(e.ci_high) + ']');
}
function short(h) { return h ? h.slice(0, 12) : '-'; }
function label(r) {
  return r.suite + ' \u00b7 ' + r.configuration + (r.model ? ' \u00b7 ' + r.model : '') + ' \u00b7 ' + r.hardware +
      (r.kind === 'reported' ? ' (reported)' : '') + (r.current_suite ? ' (current suite)' : '');
}
function histogram(r) {
  return (r.iterations_histogram || []).map(function (b) {
    return (b.iterations ? b.iterations : 'never') + ':' + (b.count || 0);
  }).join(' ');
}

var rowColumns = [
  {id: 'configuration', title: 'configuration', wrap: true, get: function (r) { return r.configuration; },
   text: function (v, r) {
     if (r.kind === 'reported') return el('span', {}, v + ' ', el('span', {'class': 'badge reported', title: r.source || ''}, 'reported'));
     // Combined over partial runs, per task as the tree holds it now (leaderboard/README.md).
     if (r.current_suite) return el('span', {}, v + ' ', el('span', {'class': 'badge current', title: (r.flags || []).join('\n')}, 'current suite'));
     return v;
   }},
  {id: 'model', title: 'model', get: function (r) { return r.model || null; }},
  {id: 'hardware', title: 'hardware', get: function (r) { return r.hardware || null; }},
  {id: 'suite_version', title: 'suite version', get: function (r) { return r.suite_content_hash ? r.suite_content_hash.slice(0, 8) : null; },
   text: function (v, r) {
     if (!has(v)) return '-';
     var flags = r.flags || [];
     return el('span', {'class': flags.length ? 'flag' : '', title: [r.suite_content_hash].concat(flags).join('\n')},
               v + (flags.length ? ' \u26a0' : ''));
   }},
  {id: 'runs', title: 'runs', num: true, get: function (r) { return r.kind === 'reported' ? null : (r.runs || 0); }},
  {id: 'tasks', title: 'tasks', num: true, get: function (r) { return r.tasks || null; }},
  {id: 'call', title: 'call acc.', num: true, get: function (r) { return r.call_accuracy; }, text: pct},
  {id: 'exec', title: 'exec. acc.', num: true, get: function (r) { return r.execution_accuracy; },
   text: function (v, r) {
     if (r.execution_accuracy_text) return r.execution_accuracy_text;
     if (r.runs > 1 && has(r.execution_accuracy_min) && r.execution_accuracy_min !== r.execution_accuracy_max) {
       return stacked(pct(v), 'runs ' + pct(r.execution_accuracy_min) + '\u2013' + pct(r.execution_accuracy_max));
     }
     return pct(v);
   }},
  {id: 'speedup_mean', title: 'speedup mean [95% CI]', num: true,
   get: function (r) { return r.speedup_mean ? r.speedup_mean.value : null; }, text: function (v, r) { return estNode(r.speedup_mean); }},
  {id: 'speedup_geomean', title: 'speedup geomean [95% CI]', num: true,
   get: function (r) { return r.speedup_geomean ? r.speedup_geomean.value : null; }, text: function (v, r) { return estNode(r.speedup_geomean); }}
].concat(thresholds.map(function (p, k) {
  return {id: 'fast_' + p, title: 'fast_' + p, num: true,
          get: function (r) { return r.fast_p && r.fast_p[k] ? (r.fast_p[k].share || 0) : null; }, text: pct};
})).concat([
  {id: 'iters', title: 'iters to 1st correct', num: true, get: function (r) { return r.iterations_to_first_correct_median; },
   text: function (v, r) { return has(v) ? stacked(num(v, 1), histogram(r)) : '-'; }},
  {id: 'calls', title: 'LLM calls per task', num: true, get: function (r) { return r.llm_calls_per_task; }, text: function (v) { return num(v, 1); }},
  {id: 'tokens', title: 'tokens per task', num: true, get: function (r) { return r.tokens_per_task; }, text: function (v) { return num(v, 0); }},
  {id: 'cost', title: 'cost per task', num: true, get: function (r) { return r.cost_usd_per_task; }, text: function (v) { return has(v) ? '$' + num(v, 4) : '-'; }}
]);

var taskColumns = [
  {id: 'task', title: 'task', get: function (c) { return c.task_id; }},
  {id: 'correct', title: 'correct runs', num: true, get: function (c) { return c.execution_ok_runs || 0; },
   text: function (v, c) { return v + '/' + (c._runs) + (c.correct ? '' : ' \u2717'); }},
  {id: 'speedup', title: 'speedup (median)', num: true, get: function (c) { return c.speedup; }, text: sx},
  {id: 'spread', title: 'min\u2013max', num: true, get: function (c) { return c.speedup_min; },
   text: function (v, c) { return has(v) ? num(c.speedup_min, 3) + '\u2013' + num(c.speedup_max, 3) : '-'; }},
  {id: 'failures', title: 'failures', wrap: true, get: function (c) { return c.failures || null; }},
  {id: 'iters', title: 'iters to 1st correct', num: true, get: function (c) { return c.iterations_to_first_correct; }, text: function (v) { return num(v, 1); }},
  {id: 'calls', title: 'LLM calls', num: true, get: function (c) { return c.llm_calls; }, text: function (v) { return num(v, 1); }},
  {id: 'tokens', title: 'tokens', num: true, get: function (c) { return c.tokens; }, text: function (v) { return num(v, 0); }},
  {id: 'cost', title: 'cost', num: true, get: function (c) { return c.cost_usd; }, text: function (v) { return has(v) ? '$' + num(v, 4) : '-'; }}
];

var sortableTables = [];

// A table whose headers sort it (missing values always last); onRow(item, tr) makes
// rows clickable and may return a detail row to show beneath them.
function sortableTable(id, columns, items, onRow) {
  var table = el('table', {id: id, 'class': 'sortable'});
  var headRow = el('tr');
  var state = {col: null, dir: 1};
  var order = items.map(function (_, i) { return i; });
  var open = {};
  var tbody = el('tbody');
  columns.forEach(function (c) {
    var th = el('th', {'data-col': c.id, title: 'sort by ' + c.title}, c.title);
    th.addEventListener('click', function () { sortBy(c.id); });
    headRow.appendChild(th);
  });
  table.appendChild(el('thead', {}, headRow));
  table.appendChild(tbody);
  function render() {
    tbody.textContent = '';
    order.forEach(function (i) {
      var it = items[i];
      var tr = el('tr', {'data-key': it.key || it.task_id, 'class': it.kind === 'reported' ? 'reported' : ''});
      columns.forEach(function (c) {
        var v = c.get(it);
        var content = c.cell ? c.cell(it) : (c.text ? c.text(v, it) : (has(v) ? String(v) : '-'));
        tr.appendChild(el('td', {'class': c.num ? 'num' : (c.wrap ? 'wrap' : '')}, content));
      });
      tbody.appendChild(tr);
      if (onRow) {
        tr.classList.add('clickable');
        tr.addEventListener('click', function () { open[i] = !open[i]; render(); });
        if (open[i]) {
          tr.classList.add('open');
          tbody.appendChild(el('tr', {'class': 'detail', 'data-detail-of': it.key || ''},
                               el('td', {colspan: columns.length}, onRow(it))));
        }
      }
    });
    Array.prototype.forEach.call(headRow.children, function (th) {
      if (th.getAttribute('data-col') === state.col) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  function sortBy(colId, dir) {
    var col = columns.filter(function (c) { return c.id === colId; })[0];
    if (!col) return false;
    if (dir === undefined) dir = state.col === colId ? -state.dir : (col.num ? -1 : 1);
    state = {col: colId, dir: dir};
    order = items.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = col.get(items[a]), y = col.get(items[b]);
      if (!has(x) && !has(y)) return a - b;
      if (!has(x)) return 1;
      if (!has(y)) return -1;
      if (x < y) return -dir;
      if (x > y) return dir;
      return a - b;
    });
    render();
    return true;
  }
  table.sortBy = sortBy;
  table.openKey = function (key) {
    items.forEach(function (it, i) { if (it.key === key) open[i] = true; });
    render();
  };
  render();
  sortableTables.push(table);
  return table;
}

function detail(r) {
  var box = el('div', {'class': 'drill'});
  if (r.kind === 'reported') {
    box.appendChild(el('p', {}, el('b', {}, 'Reported figure, not measured here. '), 'Source: ' + (r.source || '-')));
    if (r.note) box.appendChild(el('p', {}, r.note));
    return box;
  }
  (r.flags || []).forEach(function (f) { box.appendChild(el('p', {'class': 'flag'}, '\u26a0 ' + f)); });
  var cells = (r.task_cells || []).map(function (c) { c._runs = r.runs; return c; });
  box.appendChild(el('h3', {}, 'Per task: ' + label(r)));
  box.appendChild(sortableTable('tasks-' + r.key, taskColumns, cells, null));
  box.appendChild(el('p', {}, 'Reproduce: ', el('code', {}, r.command_line || '-')));
  box.appendChild(el('p', {}, 'Suite version ' + (r.suite_content_hash || '-') + '; harness ' +
                     (r.harness_content_hashes || []).join(', ')));
  box.appendChild(el('p', {}, 'Software: ' + (r.software || []).join('; ')));
  box.appendChild(el('p', {}, 'Runs: ' + (r.run_dirs || []).join(', ')));
  if (has(r.task_speedup_spread_max)) {
    box.appendChild(el('p', {}, 'Run-to-run spread: largest (max\u2212min)/median of a task\'s speedup ' +
                       pct(r.task_speedup_spread_max) + '; per-run geometric mean ' +
                       num(r.speedup_geomean_run_min, 3) + '\u2013' + num(r.speedup_geomean_run_max, 3) + '.'));
  }
  return box;
}

// Horizontal bars, one per item {label, value, low, high, kind}; `ref` draws a line.
function niceStep(max, count) {
  var raw = max / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  var f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}
function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '\u2026' : text; }

function barChart(id, title, items, fmt, ref, fixedMax) {
  var div = el('div', {'class': 'plot'}, el('h3', {}, title));
  if (!items.length) { div.appendChild(el('p', {'class': 'empty'}, 'Nothing to plot yet.')); return div; }
  var left = 330, width = 720, barH = 18, gap = 8, top = 10;
  var max = 0;
  items.forEach(function (it) { max = Math.max(max, it.value, has(it.high) ? it.high : 0); });
  if (ref) max = Math.max(max, ref);
  var step = niceStep(max > 0 ? max : 1, 4);
  max = fixedMax || Math.ceil(max * 1.05 / step) * step;
  if (fixedMax) step = fixedMax / 4;
  var plotW = width - left - 70;
  var height = top + items.length * (barH + gap) + 28;
  var s = svg('svg', {id: id, width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img'});
  function x(v) { return left + plotW * v / max; }
  for (var v = 0; v <= max + 1e-9; v += step) {
    s.appendChild(svg('line', {'class': 'grid', x1: x(v), x2: x(v), y1: top, y2: height - 22}));
    s.appendChild(svg('text', {x: x(v), y: height - 8, 'text-anchor': 'middle'}, fmt(v)));
  }
  items.forEach(function (it, i) {
    var y = top + i * (barH + gap);
    var name = svg('text', {x: left - 6, y: y + barH - 5, 'text-anchor': 'end'}, clip(it.label, 54));
    name.appendChild(svg('title', {}, it.label));
    s.appendChild(name);
    var bar = svg('rect', {'class': 'bar ' + it.kind, x: left, y: y, width: Math.max(1, x(it.value) - left), height: barH});
    bar.appendChild(svg('title', {}, it.label + ': ' + fmt(it.value)));
    s.appendChild(bar);
    if (has(it.low) && has(it.high)) {
      var cy = y + barH / 2;
      s.appendChild(svg('line', {'class': 'whisker', x1: x(it.low), x2: x(it.high), y1: cy, y2: cy}));
      s.appendChild(svg('line', {'class': 'whisker', x1: x(it.low), x2: x(it.low), y1: cy - 5, y2: cy + 5}));
      s.appendChild(svg('line', {'class': 'whisker', x1: x(it.high), x2: x(it.high), y1: cy - 5, y2: cy + 5}));
    }
    s.appendChild(svg('text', {x: Math.max(x(it.value), has(it.high) ? x(it.high) : 0) + 4, y: y + barH - 5}, it.text || fmt(it.value)));
  });
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: left, y1: top - 4, y2: height - 22}));
  if (ref) s.appendChild(svg('line', {'class': 'ref', x1: x(ref), x2: x(ref), y1: top - 4, y2: height - 22}));
  div.appendChild(s);
  return div;
}

function curveChart(id, title, series) {
  var div = el('div', {'class': 'plot'}, el('h3', {}, title));
  if (!series.length) {
    div.appendChild(el('p', {'class': 'empty', id: id + '-empty'},
        'No run records of LLM configurations yet: the inference-time scaling curve appears once ' +
        'zero-shot, one-shot or agent runs record their LLM calls.'));
    return div;
  }
  var width = 720, height = 320, left = 52, right = 250, top = 12, bottom = 40;
  var maxX = 1;
  series.forEach(function (s) { s.points.forEach(function (p) { maxX = Math.max(maxX, p.llm_calls); }); });
  var s = svg('svg', {id: id, width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img'});
  function x(v) { return left + (width - left - right) * v / maxX; }
  function y(v) { return top + (height - top - bottom) * (1 - v); }
  for (var t = 0; t <= 5; t++) {
    s.appendChild(svg('line', {'class': 'grid', x1: left, x2: width - right, y1: y(t / 5), y2: y(t / 5)}));
    s.appendChild(svg('text', {x: left - 6, y: y(t / 5) + 4, 'text-anchor': 'end'}, (t * 20) + '%'));
  }
  var xstep = Math.max(1, Math.ceil(niceStep(maxX, 6)));
  for (var xv = 0; xv <= maxX; xv += xstep) {
    s.appendChild(svg('text', {x: x(xv), y: height - bottom + 16, 'text-anchor': 'middle'}, String(xv)));
  }
  s.appendChild(svg('text', {x: (left + width - right) / 2, y: height - 6, 'text-anchor': 'middle'}, 'LLM calls per task (budget)'));
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: left, y1: top, y2: y(0)}));
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: width - right, y1: y(0), y2: y(0)}));
  var palette = ['#2f6fb3', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d'];
  series.forEach(function (se, i) {
    var color = palette[i % palette.length];
    // A step function: the accuracy reached within each budget of calls.
    var path = 'M' + x(0).toFixed(1) + ' ' + y(0).toFixed(1);
    se.points.forEach(function (p) {
      path += ' H' + x(p.llm_calls).toFixed(1) + ' V' + y(p.execution_accuracy || 0).toFixed(1);
    });
    var line = svg('path', {'class': 'curve', d: path, stroke: color, 'data-key': se.key});
    line.appendChild(svg('title', {}, se.label));
    s.appendChild(line);
    var last = se.points[se.points.length - 1];
    s.appendChild(svg('circle', {cx: x(last.llm_calls), cy: y(last.execution_accuracy || 0), r: 3.5, fill: color}));
    s.appendChild(svg('rect', {x: width - right + 10, y: top + i * 18, width: 12, height: 12, fill: color}));
    s.appendChild(svg('text', {x: width - right + 26, y: top + i * 18 + 10}, clip(se.label, 40)));
  });
  div.appendChild(s);
  return div;
}

function main() {
  var root = document.getElementById('app');
  var skipped = data.skipped || [];
  root.appendChild(el('p', {'class': 'meta', id: 'counts'},
      (data.records_loaded || 0) + ' run records counted, ' + skipped.length + ' skipped' +
      (skipped.length ? ' (see "Skipped records" below)' : '') + '. ' +
      'Rows marked reported are published figures, never aggregated with measured rows. Speedup intervals: ' +
      'percentile bootstrap, 95%, ' + (data.bootstrap_samples || 0) + ' resamples, seed ' + (data.bootstrap_seed || 0) + '.'));
  var suites = [];
  rows.forEach(function (r) { if (suites.indexOf(r.suite) < 0) suites.push(r.suite); });
  root.appendChild(el('h2', {}, 'Rows'));
  root.appendChild(el('p', {'class': 'meta'}, 'Click a column header to sort, a row for its per-task results and how to reproduce it.'));
  suites.forEach(function (suite) {
    root.appendChild(el('h3', {}, 'Suite ', el('code', {}, suite)));
    var items = rows.filter(function (r) { return r.suite === suite; });
    root.appendChild(el('div', {'class': 'scroll'}, sortableTable('rows-' + suite, rowColumns, items, detail)));
    items.forEach(function (r) {
      if (r.kind === 'reported') root.appendChild(el('p', {'class': 'meta'}, 'reported: ' + r.configuration + ' \u2014 ' + r.source));
    });
  });

  root.appendChild(el('h2', {}, 'Plots'));
  var plots = el('div', {'class': 'plots'});
  plots.appendChild(barChart('plot-accuracy', 'Execution accuracy per configuration',
      rows.filter(function (r) { return has(r.execution_accuracy); }).map(function (r) {
        return {label: label(r), value: r.execution_accuracy, kind: r.kind,
                low: r.runs > 1 ? r.execution_accuracy_min : null, high: r.runs > 1 ? r.execution_accuracy_max : null,
                text: r.execution_accuracy_text || pct(r.execution_accuracy)};
      }), function (v) { return (100 * v).toFixed(0) + '%'; }, null, 1));
  plots.appendChild(barChart('plot-speedup', 'Speedup over the ground truth per configuration (measured: geometric mean with 95% CI; reported: the paper\'s mean)',
      rows.filter(function (r) { return r.speedup_geomean || r.speedup_mean; }).map(function (r) {
        var e = r.kind === 'reported' ? (r.speedup_mean || r.speedup_geomean) : (r.speedup_geomean || r.speedup_mean);
        return {label: label(r), value: e.value, kind: r.kind, low: e.n ? e.ci_low : null, high: e.n ? e.ci_high : null,
                text: sx(e.value)};
      }), function (v) { return v.toFixed(2) + 'x'; }, 1));
  plots.appendChild(curveChart('plot-calls', 'Execution accuracy against LLM calls spent',
      rows.filter(function (r) { return (r.calls_curve || []).length; }).map(function (r) {
        return {label: label(r), key: r.key, points: r.calls_curve};
      })));
  root.appendChild(plots);

  if (skipped.length) {
    root.appendChild(el('h2', {'class': 'warn'}, 'Skipped records (' + skipped.length + ')'));
    var list = el('ul', {id: 'skipped'});
    skipped.forEach(function (s) { list.appendChild(el('li', {}, el('code', {}, s.path), ': ' + s.reason)); });
    root.appendChild(list);
  }

  // #sort=<column>:<asc|desc>&open=<row key>: the same code paths as clicking.
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('=');
    if (i > 0) params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
  });
  if (params.open) sortableTables.slice().forEach(function (t) { t.openKey(params.open); });
  if (params.sort) {
    var parts = params.sort.split(':');
    sortableTables.slice().forEach(function (t) { if (t.id.indexOf('rows-') === 0) t.sortBy(parts[0], parts[1] === 'asc' ? 1 : -1); });
  }
  document.body.setAttribute('data-rendered', 'true');
}

try {
  main();
} catch (e) {
  document.getElementById('render-error').textContent = 'The page script failed: ' + e;
  throw e;
}
})();
)js";

std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

}  // namespace

std::string RenderHtml(const Leaderboard& board) {
  std::string title = "Triton kernel leaderboard";
  if (board.version() > 0) {
    absl::StrAppend(&title, ": version ", absl::StrFormat("%04d", board.version()));
    if (!board.published_at().empty()) absl::StrAppend(&title, " (", board.published_at(), ")");
  }
  // Inside <script>, "</" or "<!--" could end or confuse the element; "\u003c" is the
  // same character to JSON.
  const std::string json = absl::StrReplaceAll(LeaderboardToJson(board, /*pretty=*/false), {{"<", "\\u003c"}});
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", Escape(title),
                      "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>", Escape(title),
                      "</h1>\n<p id=\"render-error\"></p>\n<noscript>This page draws its tables with JavaScript; "
                      "leaderboard.md holds the same figures.</noscript>\n<div id=\"app\"></div>\n"
                      "<script id=\"leaderboard-data\" type=\"application/json\">",
                      json, "</script>\n<script>", kScript, "</script>\n</body>\n</html>\n");
}

}  // namespace tritonbench
