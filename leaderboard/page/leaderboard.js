// The leaderboard page (leaderboard/html.h): draws everything from the Leaderboard JSON
// embedded in the page (leaderboard/proto/leaderboard.proto), with no library and no
// network. Embedded into leaderboard.html at build time.
//
// Per suite release: the ranking (model, reference and reported rows in their own
// groups; sortable by any column; a row opens its per-task results), charts as inline
// SVG (per-task speedups, accuracy against iterations and against parallel runs), the
// per-category table and the per-task matrix. The URL fragment drives the same code as
// clicks: #sort=<column id>:<asc|desc> and #open=<row key>. When everything is drawn,
// <body data-rendered="true">; an error is written into #render-error.
(function () {
'use strict';

var errorBox = document.getElementById('render-error');
window.addEventListener('error', function (e) {
  errorBox.textContent = 'The page script failed: ' + (e.message || e);
});

var holder = document.getElementById('leaderboard-data');
var data = JSON.parse(holder.textContent);
var linkBase = holder.getAttribute('data-link-base') || '';
var rows = data.rows || [];
var SVG = 'http://www.w3.org/2000/svg';
var PALETTE = ['#2f6fb3', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#b7950b', '#2c3e50'];

// ---- small helpers -------------------------------------------------------------
function el(tag, attrs) {
  var e = document.createElement(tag);
  for (var k in (attrs || {})) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
  for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
  return e;
}
function append(parent, c) {
  if (c === null || c === undefined || c === '') return;
  if (Array.isArray(c)) { c.forEach(function (x) { append(parent, x); }); return; }
  parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
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
function stacked(top, below) { return below ? [top, el('small', {'class': 'sub'}, below)] : top; }
function estimate(e) {
  if (!e) return '-';
  return e.n ? stacked(sx(e.value), '[' + sn(e.ci_low) + ', ' + sn(e.ci_high) + ']') : sx(e.value);
}
function link(path, text, title) {
  if (!path) return text;
  var href = /^\//.test(path) ? 'file://' + path : linkBase + path;
  return el('a', {href: href, title: title || path}, text);
}
function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '\u2026' : text; }
function slug(text) { return text.replace(/[^A-Za-z0-9_.-]+/g, '-'); }
function isPartial(r) { return r.kind === 'measured' && (r.tasks_measured || 0) < (r.tasks || 0); }
function label(r) {
  return r.configuration + (r.model ? ' \u00b7 ' + r.model : '') + (r.hardware ? ' \u00b7 ' + r.hardware : '') +
      (r.judge ? ' \u00b7 judge: ' + r.judge : '');
}
function lastPass(r) { var p = r.pass_at_k || []; return p.length ? p[p.length - 1] : null; }
function fastOne(r) {
  var f = (r.fast_p || []).filter(function (x) { return x.p === 1; })[0];
  return f ? (f.share || 0) : null;
}
function coversSuite(r, suite) { return (r.suite || '').split('+').indexOf(suite) >= 0; }
function badges(r) {
  var out = [];
  if (r.kind === 'reported') out.push(el('span', {'class': 'badge reported', title: r.source || ''}, 'reported'));
  if (isPartial(r)) {
    out.push(el('span', {'class': 'badge partial', title: 'measured ' + r.tasks_measured + ' of the release\'s ' +
                         r.tasks + ' tasks'}, 'partial'));
  }
  if (r.fixture) out.push(el('span', {'class': 'badge fixture', title: 'test fixture, not a model\'s result'}, 'fixture'));
  // A suite imported from GEAK-eval: the same runs counted by its rules or by this project's.
  if (r.judge) {
    out.push(el('span', {'class': 'badge judge', title: r.judge === 'upstream' ?
                         'verdicts by GEAK-eval\'s own rules (its tolerances and comparison)' :
                         'verdicts by this project\'s checks on the same runs'},
                r.judge === 'upstream' ? 'GEAK-eval rules' : 'strict'));
  }
  return out;
}

// ---- the ranking ---------------------------------------------------------------
var GROUPS = [
  {id: 'model', title: 'Models', note: 'LLM configurations; a row\'s n runs are repeated runs of the same configuration'},
  {id: 'reference', title: 'References', note: 'no LLM: the ground-truth kernels and PyTorch (eager, torch.compile)'},
  {id: 'reported', title: 'Reported', note: 'published figures, not measured here; each on the definition its source uses'}
];

var rankColumns = [
  {id: 'rank', title: '#', num: true, narrow: false, get: function (r) { return r._rank; }},
  {id: 'configuration', title: 'configuration \u00b7 model \u00b7 hardware', lead: true,
   get: function (r) { return label(r); },
   show: function (v, r) {
     return [r.configuration, badges(r), el('small', {'class': 'sub'}, [r.model, r.hardware].filter(Boolean).join(' \u00b7 ') || null)];
   }},
  {id: 'runs', title: 'runs (n)', num: true, narrow: false, get: function (r) { return r.kind === 'reported' ? null : (r.runs || 0); }},
  {id: 'measured', title: 'measured', num: true, tip: 'tasks of the release with a result / tasks in the release',
   get: function (r) { return r.kind === 'reported' ? null : (r.tasks ? (r.tasks_measured || 0) / r.tasks : 0); },
   show: function (v, r) {
     if (r.kind === 'reported') return r.tasks ? stacked(String(r.tasks), 'the paper\'s suite') : '-';
     return (r.tasks_measured || 0) + '/' + (r.tasks || 0);
   }},
  {id: 'call', title: 'call acc. (measured)', num: true, narrow: false, get: function (r) { return r.call_accuracy_measured; }, show: pct},
  {id: 'exec', title: 'exec. acc. (measured)', num: true, tip: 'share of the measured tasks that passed every check',
   get: function (r) { return r.execution_accuracy_measured; },
   show: function (v, r) {
     if (!has(v)) return '-';
     if (r.runs > 1 && r.execution_accuracy_min !== r.execution_accuracy_max) {
       return stacked(pct(v), 'runs ' + pct(r.execution_accuracy_min) + '\u2013' + pct(r.execution_accuracy_max));
     }
     return pct(v);
   }},
  {id: 'exec_release', title: 'exec. acc. over release', num: true,
   tip: 'share of all the release\'s tasks that passed, a task not measured counting as failed',
   get: function (r) { return r.execution_accuracy; },
   show: function (v, r) { return r.execution_accuracy_text || pct(v); }},
  {id: 'pass', title: 'pass@k', num: true, tip: 'unbiased estimate over the row\'s n runs, for the largest k',
   get: function (r) { var p = lastPass(r); return p ? p.value : null; },
   show: function (v, r) { var p = lastPass(r); return p ? stacked(pct(p.value), 'k=' + p.k) : '-'; }},
  {id: 'geak', title: 'speedup, GEAK [95% CI]', num: true,
   tip: 'per task: sum of ground-truth median times over its cases / the candidate\'s; mean over correct tasks',
   get: function (r) { return r.speedup_geak ? r.speedup_geak.value : null; },
   show: function (v, r) { return estimate(r.speedup_geak); }},
  {id: 'geomean', title: 'speedup geomean [95% CI]', num: true,
   tip: 'geometric mean over correct tasks of the harness\'s per-task speedup',
   get: function (r) { return r.speedup_geomean ? r.speedup_geomean.value : null; },
   show: function (v, r) { return estimate(r.speedup_geomean); }},
  {id: 'fast1', title: 'fast_1', num: true, narrow: false, tip: 'share of the release\'s tasks correct and faster than the ground truth',
   get: fastOne, show: pct},
  {id: 'iters', title: 'iters to 1st correct', num: true, narrow: false, get: function (r) { return r.iterations_to_first_correct_median; },
   show: function (v) { return num(v, 1); }},
  {id: 'calls', title: 'LLM calls / task', num: true, narrow: false, tip: 'mean per task; beneath, tokens and cost',
   get: function (r) { return r.llm_calls_per_task; },
   show: function (v, r) {
     if (!has(v)) return '-';
     return stacked(num(v, 1), [num(r.tokens_per_task, 0) + ' tok', has(r.cost_usd_per_task) ? '$' + num(r.cost_usd_per_task, 4) : null]
                    .filter(Boolean).join(', '));
   }}
];

var rankingTables = [];

// The ranking of one release: a tbody per group, each sorted on its own.
function rankingTable(id, groups, columns, detail) {
  var table = el('table', {id: id, 'class': 'sortable ranking'});
  var head = el('tr');
  var state = {col: null, dir: 1};
  columns.forEach(function (c) {
    var th = el('th', {'data-col': c.id, 'class': c.narrow === false ? 'wide-only' : null,
                       title: (c.tip ? c.tip + '. ' : '') + 'Click to sort.'}, c.title);
    th.addEventListener('click', function () { sortBy(c.id); });
    head.appendChild(th);
  });
  table.appendChild(el('thead', {}, head));
  var bodies = groups.map(function (g) {
    var tbody = el('tbody', {'class': 'group ' + g.id, 'data-group': g.id});
    table.appendChild(tbody);
    return {group: g, tbody: tbody, items: g.items, order: g.items.map(function (_, i) { return i; }), open: {}};
  });
  function render() {
    bodies.forEach(function (b) {
      b.tbody.textContent = '';
      b.tbody.appendChild(el('tr', {'class': 'group-head'},
          el('th', {colspan: columns.length}, b.group.title + ' ', el('span', {'class': 'note'}, '(' + b.group.note + ')'))));
      b.order.forEach(function (i) {
        var it = b.items[i];
        var tr = el('tr', {'data-key': it.key, 'class': 'clickable' + (b.open[i] ? ' open' : '')});
        columns.forEach(function (c) {
          var v = c.get(it);
          var content = c.show ? c.show(v, it) : (has(v) ? String(v) : '-');
          tr.appendChild(el('td', {'class': (c.num ? 'num' : (c.lead ? 'lead' : '')) + (c.narrow === false ? ' wide-only' : '')},
                            content));
        });
        tr.addEventListener('click', function (ev) {
          if (ev.target.closest('a')) return;
          b.open[i] = !b.open[i];
          render();
        });
        b.tbody.appendChild(tr);
        if (b.open[i]) {
          b.tbody.appendChild(el('tr', {'class': 'detail', 'data-detail-of': it.key},
                                 el('td', {colspan: columns.length}, detail(it))));
        }
      });
    });
    Array.prototype.forEach.call(head.children, function (th) {
      if (th.getAttribute('data-col') === state.col) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  function sortBy(colId, dir) {
    var col = columns.filter(function (c) { return c.id === colId; })[0];
    if (!col) return false;
    if (dir === undefined) dir = state.col === colId ? -state.dir : (col.num && colId !== 'rank' ? -1 : 1);
    state = {col: colId, dir: dir};
    bodies.forEach(function (b) {
      b.order = b.items.map(function (_, i) { return i; });
      b.order.sort(function (x, y) {
        var p = col.get(b.items[x]), q = col.get(b.items[y]);
        if (!has(p) && !has(q)) return x - y;
        if (!has(p)) return 1;  // missing values last, either way
        if (!has(q)) return -1;
        if (p < q) return -dir;
        if (p > q) return dir;
        return x - y;
      });
    });
    render();
    return true;
  }
  table.sortBy = sortBy;
  table.openKey = function (key) {
    bodies.forEach(function (b) { b.items.forEach(function (it, i) { if (it.key === key) b.open[i] = true; }); });
    render();
  };
  render();
  rankingTables.push(table);
  return table;
}

// ---- a row's drill-down --------------------------------------------------------
function taskTable(r) {
  var table = el('table', {'class': 'tasks', id: 'tasks-' + r.key});
  table.appendChild(el('thead', {}, el('tr', {},
      ['task', 'category', 'verdict', 'results', 'speedup (median)', 'GEAK speedup', 'min\u2013max / 95% CI',
       'iters to 1st correct', 'code'].map(function (t) { return el('th', {}, t); }))));
  var body = el('tbody');
  (r.task_cells || []).forEach(function (c) {
    var verdict = c.runs ? (c.correct ? 'correct' : (c.verdict || c.failures || 'failed')) : 'not measured';
    var spread = has(c.speedup_ci_low) ? '95% CI ' + num(c.speedup_ci_low, 3) + '\u2013' + num(c.speedup_ci_high, 3)
        : (c.timed_runs > 1 ? num(c.speedup_min, 3) + '\u2013' + num(c.speedup_max, 3) : '-');
    var files = (c.files || []).map(function (f, i) {
      return [i ? ' ' : '', link(f, (c.files.length > 1 ? 'run ' + (i + 1) : 'code'))];
    });
    body.appendChild(el('tr', {'class': c.runs ? (c.correct ? 'ok' : 'fail') : 'none'},
        el('td', {}, c.task_id), el('td', {}, c.category || '-'),
        el('td', {'class': 'wrap ' + (c.runs ? (c.correct ? 'ok' : 'fail') : 'none')}, verdict,
           c.runs && c.failures && !c.correct ? el('small', {'class': 'sub'}, c.failures) : null),
        el('td', {'class': 'num'}, c.runs ? (c.execution_ok_runs || 0) + '/' + (c._expected || c.runs) + ' correct' : '-'),
        el('td', {'class': 'num'}, sx(c.speedup)), el('td', {'class': 'num'}, sx(c.speedup_geak)),
        el('td', {'class': 'num'}, spread), el('td', {'class': 'num'}, num(c.iterations_to_first_correct, 1)),
        el('td', {}, files.length ? files : '-')));
  });
  table.appendChild(body);
  return el('div', {'class': 'scroll'}, table);
}

function detail(r) {
  var box = el('div', {'class': 'drill'});
  if (r.kind === 'reported') {
    box.appendChild(el('p', {}, el('b', {}, 'Reported, not measured here. '), 'Source: ' + (r.source || '-')));
    if (r.definitions) box.appendChild(el('p', {}, 'Definitions: ' + r.definitions));
    if (r.note) box.appendChild(el('p', {}, r.note));
    return box;
  }
  (r.flags || []).forEach(function (f) { box.appendChild(el('p', {'class': 'flag'}, '\u26a0 ' + f)); });
  box.appendChild(el('h3', {}, 'Per task: ' + label(r) + ' (release ' + r.release + ')'));
  var llm = (r.pass_at_k || []).length > 0;
  (r.task_cells || []).forEach(function (c) { c._expected = llm ? r.runs : c.runs; });
  box.appendChild(taskTable(r));
  var fast = (r.fast_p || []).map(function (f) { return 'fast_' + f.p + ' ' + pct(f.share || 0); }).join(', ');
  if (fast) box.appendChild(el('p', {}, 'fast_p (share of the release\'s tasks correct and faster than p): ' + fast + '.'));
  if ((r.pass_at_k || []).length) {
    box.appendChild(el('p', {}, 'pass@k: ' + r.pass_at_k.map(function (p) { return 'k=' + p.k + ' ' + pct(p.value); }).join(', ') + '.'));
  }
  if (has(r.task_speedup_spread_max)) {
    box.appendChild(el('p', {}, 'Run-to-run spread: largest (max\u2212min)/median of a task\'s speedup ' +
                       pct(r.task_speedup_spread_max) + (has(r.speedup_geomean_run_min) ? '; per-run geometric mean ' +
                       num(r.speedup_geomean_run_min, 3) + '\u2013' + num(r.speedup_geomean_run_max, 3) : '') + '.'));
  }
  box.appendChild(el('p', {}, 'Reproduce: ', el('code', {}, r.command_line || '-')));
  box.appendChild(el('p', {}, 'Runs: ', (r.run_dirs || []).map(function (d, i) {
    return [i ? ', ' : '', link(d + '/run_record.json', d)];
  })));
  box.appendChild(el('p', {}, 'Harness ' + (r.harness_content_hashes || []).map(function (h) { return h.slice(0, 12); }).join(', ') +
                     '; ' + (r.software || []).join('; ') + '; suite content (provenance) ' + (r.suite_content_hash || '-').slice(0, 12)));
  return box;
}

// ---- charts --------------------------------------------------------------------
// Drawn at the width they will take (one, two or three to a line), so text keeps its size.
function chartWidth() {
  var app = document.getElementById('app').clientWidth || 760, gap = 14, basis = 360, most = 640;
  var perLine = Math.max(1, Math.min(3, Math.floor((app + gap) / (basis + gap))));
  return Math.round(Math.max(280, Math.min(most, (app - gap * (perLine - 1)) / perLine) - 22));
}
function plot(id, title, caption, body, legend) {
  var div = el('div', {'class': 'plot', id: id + '-box'}, el('h4', {}, title));
  if (caption) div.appendChild(el('p', {'class': 'caption'}, caption));
  append(div, body);
  if (legend) div.appendChild(legend);
  return div;
}
function legendList(series) {
  return el('ul', {'class': 'legend'}, series.map(function (s) {
    return el('li', {}, el('span', {'class': 'swatch', style: 'background:' + s.color}), s.label);
  }));
}
function quantile(sorted, q) {
  if (!sorted.length) return 0;
  var h = (sorted.length - 1) * q, lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

// Per-task speedups of each row's correct, timed tasks on a log axis: a box (quartiles,
// median) and a dot per task; the dashed line is the ground truth (1x).
function speedupStrip(id, items) {
  var lanes = items.filter(function (it) { return it.values.length; });
  if (!lanes.length) return el('p', {'class': 'empty', id: id + '-empty'}, 'No timed, correct task yet (CPU-only runs time nothing).');
  var lo = 1, hi = 1;
  lanes.forEach(function (l) { l.values.forEach(function (v) { lo = Math.min(lo, v.value); hi = Math.max(hi, v.value); }); });
  var lmin = Math.log10(lo) - 0.08, lmax = Math.log10(hi) + 0.08;
  if (lmax - lmin < 0.6) { var mid = (lmax + lmin) / 2; lmin = mid - 0.3; lmax = mid + 0.3; }
  var width = chartWidth(), left = Math.round(Math.min(210, width * 0.36)), right = 16, lane = 30, top = 8;
  var height = top + lanes.length * lane + 30;
  var s = svg('svg', {id: id, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'per-task speedups'});
  function x(v) { return left + (width - left - right) * (Math.log10(v) - lmin) / (lmax - lmin); }
  [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].forEach(function (t) {
    var lt = Math.log10(t);
    if (lt < lmin || lt > lmax) return;
    s.appendChild(svg('line', {'class': 'grid', x1: x(t), x2: x(t), y1: top, y2: height - 22}));
    s.appendChild(svg('text', {x: x(t), y: height - 8, 'text-anchor': 'middle'}, t + 'x'));
  });
  s.appendChild(svg('line', {'class': 'ref', x1: x(1), x2: x(1), y1: top - 2, y2: height - 22}));
  lanes.forEach(function (l, i) {
    var cy = top + i * lane + lane / 2;
    var name = svg('text', {x: left - 8, y: cy + 4, 'text-anchor': 'end'}, clip(l.label, Math.floor(left / 6.2)));
    name.appendChild(svg('title', {}, l.label));
    s.appendChild(name);
    var sorted = l.values.map(function (v) { return v.value; }).sort(function (a, b) { return a - b; });
    var q1 = quantile(sorted, 0.25), q2 = quantile(sorted, 0.5), q3 = quantile(sorted, 0.75);
    var box = svg('rect', {'class': 'box', x: x(q1), y: cy - 8, width: Math.max(1, x(q3) - x(q1)), height: 16});
    box.appendChild(svg('title', {}, l.label + ': median ' + sn(q2) + 'x, quartiles ' + sn(q1) + '\u2013' + sn(q3) + 'x'));
    s.appendChild(box);
    s.appendChild(svg('line', {'class': 'median', x1: x(q2), x2: x(q2), y1: cy - 9, y2: cy + 9}));
    l.values.forEach(function (v, k) {
      var jitter = ((k * 7919) % 13 - 6) * 0.9;  // deterministic spread so equal values stay visible
      var dot = svg('circle', {'class': 'dot', cx: x(v.value).toFixed(1), cy: (cy + jitter).toFixed(1), r: 2.6, fill: l.color});
      dot.appendChild(svg('title', {}, v.task + ': ' + sn(v.value) + 'x'));
      s.appendChild(dot);
    });
  });
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: width - right, y1: height - 22, y2: height - 22}));
  return s;
}

// Step lines of accuracy (0-100%) against a budget; `marks` are single reported points.
function scalingChart(id, series, xLabel, marks) {
  marks = marks || [];
  if (!series.length) {
    return el('p', {'class': 'empty', id: id + '-empty'},
              'No LLM configuration has runs on this release yet: the curve appears with the first run records ' +
              'that carry generations (zero-shot, one-shot or agent runs).');
  }
  var width = chartWidth(), height = Math.round(Math.min(300, width * 0.6)), left = 40, right = 14, top = 10, bottom = 38;
  var maxX = 1;
  series.forEach(function (se) { se.points.forEach(function (p) { maxX = Math.max(maxX, p.x); }); });
  marks.forEach(function (m) { maxX = Math.max(maxX, m.x); });
  var s = svg('svg', {id: id, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': xLabel});
  function x(v) { return left + (width - left - right) * v / maxX; }
  function y(v) { return top + (height - top - bottom) * (1 - v); }
  for (var t = 0; t <= 5; t++) {
    s.appendChild(svg('line', {'class': 'grid', x1: left, x2: width - right, y1: y(t / 5), y2: y(t / 5)}));
    s.appendChild(svg('text', {x: left - 6, y: y(t / 5) + 4, 'text-anchor': 'end'}, (t * 20) + '%'));
  }
  var step = Math.max(1, Math.ceil(maxX / 10));
  for (var xv = step; xv <= maxX; xv += step) {
    s.appendChild(svg('text', {x: x(xv), y: height - bottom + 16, 'text-anchor': 'middle'}, String(xv)));
  }
  s.appendChild(svg('text', {x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle'}, xLabel));
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: left, y1: top, y2: y(0)}));
  s.appendChild(svg('line', {'class': 'axis', x1: left, x2: width - right, y1: y(0), y2: y(0)}));
  series.forEach(function (se) {
    var path = 'M' + x(0).toFixed(1) + ' ' + y(0).toFixed(1);
    se.points.forEach(function (p) { path += ' H' + x(p.x).toFixed(1) + ' V' + y(p.y).toFixed(1); });
    var line = svg('path', {'class': 'curve', d: path, stroke: se.color, 'data-key': se.key});
    line.appendChild(svg('title', {}, se.label));
    s.appendChild(line);
    se.points.forEach(function (p) {
      var dot = svg('circle', {cx: x(p.x).toFixed(1), cy: y(p.y).toFixed(1), r: 3, fill: se.color});
      dot.appendChild(svg('title', {}, se.label + ': ' + p.x + ' \u2192 ' + pct(p.y)));
      s.appendChild(dot);
    });
  });
  marks.forEach(function (m) {
    var d = 6, cx = x(m.x), cy = y(m.y);
    var diamond = svg('path', {'class': 'reported-mark', fill: m.color,
                               d: 'M' + cx + ' ' + (cy - d) + ' L' + (cx + d) + ' ' + cy + ' L' + cx + ' ' + (cy + d) + ' L' + (cx - d) + ' ' + cy + ' Z'});
    diamond.appendChild(svg('title', {}, m.label + ': ' + pct(m.y)));
    s.appendChild(diamond);
  });
  return s;
}

// ---- one release ---------------------------------------------------------------
function releaseSection(release, measured, reported) {
  var id = slug(release.suite + '-' + release.name);
  var section = el('section', {'class': 'release', id: 'release-' + id});
  section.appendChild(el('h2', {}, release.suite + ' \u00b7 release ' + release.name,
      release.latest ? el('span', {'class': 'badge latest'}, 'latest') : null));
  section.appendChild(el('p', {'class': 'meta'}, (release.tasks || []).length + ' tasks \u00b7 released ' + release.date +
      (release.summary ? ' \u00b7 ' + release.summary : '') + ' \u00b7 manifest ' + (release.manifest_hash || '').slice(0, 12)));
  var colors = {};
  measured.concat(reported).forEach(function (r, i) { colors[r.key] = PALETTE[i % PALETTE.length]; });
  var groups = GROUPS.map(function (g) {
    var items = (g.id === 'reported' ? reported : measured.filter(function (r) { return r.group === g.id; }));
    items.forEach(function (r, i) { r._rank = i + 1; });
    return {id: g.id, title: g.title, note: g.note, items: items};
  }).filter(function (g) { return g.items.length; });
  if (!measured.length) section.appendChild(el('p', {'class': 'empty'}, 'No run has measured a task of this release yet.'));
  if (groups.length) {
    section.appendChild(el('div', {'class': 'scroll'}, rankingTable('rank-' + id, groups, rankColumns, detail)));
    section.appendChild(el('p', {'class': 'meta'}, 'Ranked within each group by execution accuracy over the release, ' +
        'then geometric-mean speedup; click a header to sort, a row for its per-task results. ' +
        'A partial row measured only part of the release: read its accuracy over the measured tasks beside its coverage.'));
  }
  if (!measured.length) return section;

  var llm = measured.filter(function (r) { return (r.iterations_curve || []).length || (r.pass_at_k || []).length; });
  var plots = el('div', {'class': 'plots'});
  var strip = measured.map(function (r) {
    return {label: label(r) + (r.fixture ? ' (fixture)' : ''), color: colors[r.key],
            values: (r.task_cells || []).filter(function (c) { return c.correct && has(c.speedup); })
                .map(function (c) { return {task: c.task_id, value: c.speedup}; })};
  });
  plots.appendChild(plot('plot-speedups-' + id, 'Per-task speedup over the ground truth',
      'Correct, timed tasks; log scale; box = quartiles, bar = median, dashed = 1x (the ground truth).',
      speedupStrip('plot-speedups-' + id, strip)));
  var iterSeries = llm.filter(function (r) { return (r.iterations_curve || []).length; }).map(function (r) {
    return {label: label(r), key: r.key, color: colors[r.key],
            points: r.iterations_curve.map(function (p) { return {x: p.iterations, y: p.execution_accuracy || 0}; })};
  });
  plots.appendChild(plot('plot-iterations-' + id, 'Sequential scaling: accuracy within i iterations',
      'Share of the release\'s tasks whose first correct kernel came within i iterations, mean over runs.',
      scalingChart('plot-iterations-' + id, iterSeries, 'iterations (generate \u2192 evaluate \u2192 reflect)'),
      iterSeries.length ? legendList(iterSeries) : null));
  var passSeries = llm.filter(function (r) { return (r.pass_at_k || []).length; }).map(function (r) {
    return {label: label(r) + ' (n=' + r.runs + ')', key: r.key, color: colors[r.key],
            points: r.pass_at_k.map(function (p) { return {x: p.k, y: p.value || 0}; })};
  });
  var marks = reported.filter(function (r) { return (r.pass_at_k || []).length; }).map(function (r) {
    var p = r.pass_at_k[r.pass_at_k.length - 1];
    return {label: label(r) + ' (reported, k=' + p.k + ')', x: p.k, y: p.value, color: colors[r.key]};
  });
  plots.appendChild(plot('plot-passk-' + id, 'Parallel scaling: pass@k over k runs',
      'Unbiased estimate from each row\'s n runs; diamonds are reported figures at their k.',
      scalingChart('plot-passk-' + id, passSeries, 'parallel runs k', passSeries.length ? marks : []),
      passSeries.length ? legendList(passSeries.concat(marks)) : null));
  section.appendChild(el('h3', {}, 'Charts'));
  section.appendChild(plots);

  // Per category: rows across, categories down.
  var categories = {};
  (release.tasks || []).forEach(function (t) { categories[t.category] = (categories[t.category] || 0) + 1; });
  var catTable = el('table', {'class': 'categories', id: 'categories-' + id});
  catTable.appendChild(el('thead', {}, el('tr', {}, el('th', {}, 'category'), el('th', {}, 'tasks'),
      measured.map(function (r) { return el('th', {title: label(r)}, clip(label(r), 40)); }))));
  var catBody = el('tbody');
  Object.keys(categories).sort().forEach(function (name) {
    catBody.appendChild(el('tr', {}, el('td', {}, name), el('td', {'class': 'num'}, categories[name]),
        measured.map(function (r) {
          var c = (r.categories || []).filter(function (x) { return x.category === name; })[0];
          if (!c || !c.measured) return el('td', {'class': 'none'}, 'not measured');
          return el('td', {'class': 'num', title: c.correct + ' correct of ' + c.measured + ' measured (' + c.tasks + ' tasks)'},
                    stacked((c.correct || 0) + '/' + c.measured + ' correct', has(c.speedup_geomean) ?
                            sx(c.speedup_geomean) + ' geomean' + (has(c.speedup_geak) ? ', ' + sx(c.speedup_geak) + ' GEAK' : '') : null));
        })));
  });
  catTable.appendChild(catBody);
  section.appendChild(el('h3', {}, 'Per category'));
  section.appendChild(el('div', {'class': 'scroll'}, catTable));

  // Per task: every task's verdict and speedup for every row, linked to the code measured.
  var matrix = el('table', {'class': 'matrix', id: 'matrix-' + id});
  matrix.appendChild(el('thead', {}, el('tr', {}, el('th', {}, 'task'), el('th', {}, 'category'),
      measured.map(function (r) { return el('th', {title: label(r)}, clip(label(r), 40)); }))));
  var body = el('tbody');
  (release.tasks || []).forEach(function (t, k) {
    var tr = el('tr', {'data-task': t.id}, el('td', {'class': 'task'}, link(t.kernel_path, t.id,
        t.in_tree ? 'the ground truth (kernel.py)' : 'the tree\'s kernel.py (the task changed since this release)')),
        el('td', {'class': 'cat'}, t.category));
    measured.forEach(function (r) {
      var c = (r.task_cells || [])[k];
      if (!c || !c.runs) { tr.appendChild(el('td', {'class': 'none', title: 'not measured'}, '\u00b7')); return; }
      var llm = (r.pass_at_k || []).length > 0;
      var mark = (llm ? (c.execution_ok_runs || 0) + '/' + r.runs + ' ' : '') + (c.correct ? '\u2713' : '\u2717');
      var text = mark + (has(c.speedup) ? ' ' + sx(c.speedup) : (c.correct ? '' : ' ' + (c.failures || '').split(' x')[0]));
      var title = c.correct ? 'correct' + (has(c.speedup) ? ', speedup ' + sx(c.speedup) : '') : (c.verdict || c.failures || 'failed');
      tr.appendChild(el('td', {'class': c.correct ? 'ok' : 'fail', title: title}, link((c.files || [])[0], text, title)));
    });
    body.appendChild(tr);
  });
  matrix.appendChild(body);
  var details = el('details', {'class': 'tasks', open: (release.tasks || []).length <= 40 ? 'open' : null},
      el('summary', {}, 'Per task: ' + (release.tasks || []).length + ' tasks \u00d7 ' + measured.length + ' rows'),
      el('p', {'class': 'meta'}, '\u2713 correct, \u2717 failed, \u00b7 not measured; LLM rows lead with the runs that ' +
         'were correct. The speedup is the harness\'s; a cell links to the code measured (the ground truth\'s ' +
         'kernel.py, the PyTorch baseline\'s reference.py, an LLM run\'s candidate file), its title gives the verdict.'),
      el('div', {'class': 'scroll'}, matrix));
  section.appendChild(details);
  return section;
}

// One line per release: who leads, and how much of the release the references cover.
function glance(releases, byRelease) {
  var list = el('ul', {'class': 'glance', id: 'glance'});
  releases.forEach(function (rel) {
    var measured = byRelease(rel);
    var models = measured.filter(function (r) { return r.group === 'model'; });
    var gt = measured.filter(function (r) { return r.configuration === 'ground_truth' && r.judge !== 'upstream'; });
    var top = models[0];
    var text = top
        ? 'top model: ' + label(top) + (top.fixture ? ' (fixture)' : '') + ', ' + pct(top.execution_accuracy) +
          ' exec. accuracy over the release (' + top.tasks_measured + '/' + top.tasks + ' measured)' +
          (top.speedup_geak ? ', GEAK speedup ' + sx(top.speedup_geak.value) : '')
        : 'no model has runs on this release yet';
    var refs = gt.length ? '; ground truth measured ' + gt.map(function (r) {
      return r.tasks_measured + '/' + r.tasks + ' on ' + r.hardware + ' (' + pct(r.execution_accuracy_measured) + ' correct)';
    }).join(', ') : '';
    list.appendChild(el('li', {}, el('a', {href: '#release-' + slug(rel.suite + '-' + rel.name)},
                                     rel.suite + ' ' + rel.name), rel.latest ? ' (latest)' : '', ': ' + text + refs + '.'));
  });
  return list;
}

// A list of records the ranking leaves out, collapsed when long.
function listSection(id, title, items, cells) {
  if (!items.length) return null;
  var table = el('table', {id: id});
  items.forEach(function (it) { table.appendChild(el('tr', {}, cells(it).map(function (c) { return el('td', {'class': 'wrap'}, c); }))); });
  return el('details', {'class': 'tasks', open: items.length <= 10 ? 'open' : null},
            el('summary', {'class': 'warn'}, title + ' (' + items.length + ')'), el('div', {'class': 'scroll'}, table));
}

var DEFINITIONS = [
  ['release', 'A suite release (suites/<suite>/releases.textproto) fixes every task\'s content hash. A result counts for a release when it measured that content; results on other content are listed as unreleased and never counted.'],
  ['measured', 'Tasks of the release the row has a result for, out of the release\'s tasks. A partial row measured only some of them.'],
  ['exec. acc. (measured)', 'Share of the measured tasks that passed every correctness check (call acc.: ran without error). Rows of LLM configurations: mean over their n runs, with the runs\' min\u2013max.'],
  ['exec. acc. over release', 'The same over all the release\'s tasks, a task not measured counting as failed: the figure to compare across rows.'],
  ['correct task', 'Passed in more than half of its results (LLM rows: of the n runs); its speedup is the median over the results that passed and were timed.'],
  ['speedup, GEAK', 'GEAK\'s definition: per task, the sum over its performance cases of the ground truth\'s median time divided by the sum of the candidate\'s; arithmetic mean over correct tasks, with a percentile-bootstrap 95% interval.'],
  ['speedup geomean', 'Geometric mean over correct tasks of the harness\'s per-task speedup (the geometric mean over cases of ground-truth median / candidate median), with its bootstrap interval.'],
  ['pass@k', 'Over a row\'s n runs, per task with c correct: 1 \u2212 C(n\u2212c, k) / C(n, k), averaged over the release\'s tasks. GEAK\'s headline accuracy picks the best of k parallel runs per task, i.e. pass@k.'],
  ['sequential scaling', 'Share of the release\'s tasks whose first correct kernel came within i generate-evaluate iterations (TaskGeneration.iterations_to_first_correct), mean over runs.'],
  ['fast_1', 'KernelBench: share of the release\'s tasks that are correct and faster than the ground truth.'],
  ['reported', 'A published figure, shown on the definition its source uses (see the row), never aggregated with measured rows.'],
  ['fixture', 'Made-up records the tests use; never a model\'s result.']
];

function main() {
  var root = document.getElementById('app');
  var releases = data.releases || [];
  function byRelease(rel) {
    return rows.filter(function (r) { return r.kind === 'measured' && r.suite === rel.suite && r.release === rel.name; });
  }
  var unreleased = data.unreleased || [], skipped = data.skipped || [];
  var unreleasedResults = unreleased.reduce(function (n, u) { return n + (u.results || 0); }, 0);
  root.appendChild(el('p', {'class': 'lede'},
      'One ranking per suite release. A row is one configuration, model and hardware on the release\'s tasks: ',
      el('b', {}, 'measured'), ' says how many of those tasks it has a result for; accuracy is over the measured tasks, ' +
      'then over the whole release with unmeasured tasks counted as failed; speedups are against each task\'s ' +
      'ground-truth kernel, as GEAK defines it and as a geometric mean, with 95% intervals. Model rows, reference ' +
      'rows and published (reported) figures are kept in separate groups.'));
  if (releases.length) root.appendChild(glance(releases, byRelease));
  root.appendChild(el('p', {'class': 'meta', id: 'counts'},
      (data.records_loaded || 0) + ' run records loaded (' + (data.records_in_releases || 0) + ' with results in a release), ' +
      skipped.length + ' skipped, ' + unreleasedResults + ' results on task content of no release' +
      (skipped.length + unreleasedResults ? ' (listed at the end)' : '') + '. Intervals: percentile bootstrap, 95%, ' +
      (data.bootstrap_samples || 0) + ' resamples, seed ' + (data.bootstrap_seed || 0) + '.'));

  releases.forEach(function (rel) {
    var reported = rows.filter(function (r) { return r.kind === 'reported' && coversSuite(r, rel.suite); });
    root.appendChild(releaseSection(rel, byRelease(rel), reported));
  });
  var shown = rows.filter(function (r) {
    return !releases.some(function (rel) {
      return r.kind === 'reported' ? coversSuite(r, rel.suite) : (r.suite === rel.suite && r.release === rel.name);
    });
  });
  if (shown.length) {
    root.appendChild(el('h2', {}, 'Rows of no release here'));
    shown.forEach(function (r, i) { r._rank = i + 1; });
    root.appendChild(el('div', {'class': 'scroll'}, rankingTable('rank-other', [{id: 'other', title: 'Rows',
        note: 'reported figures of suites without a release, or rows of a leaderboard from before releases', items: shown}],
        rankColumns, detail)));
  }
  if (unreleased.length || skipped.length || (data.suites_without_releases || []).length) {
    root.appendChild(el('h2', {'class': 'warn'}, 'Left out of the rankings'));
  }
  append(root, listSection('unreleased', 'Run records with results on task content of no release, never counted', unreleased, function (u) {
    return [el('code', {}, u.path), u.configuration, (u.results || 0) + ' results', u.reason];
  }));
  append(root, listSection('skipped', 'Skipped records', skipped, function (s) { return [el('code', {}, s.path), s.reason]; }));
  append(root, listSection('no-releases', 'Suites without releases', data.suites_without_releases || [], function (s) {
    return [el('code', {}, s.path), s.reason];
  }));
  root.appendChild(el('h2', {}, 'Definitions'));
  root.appendChild(el('dl', {'class': 'defs', id: 'definitions'}, DEFINITIONS.map(function (d) {
    return [el('dt', {}, d[0]), el('dd', {}, d[1])];
  })));

  // #sort=<column>:<asc|desc>&open=<row key>: the same code paths as clicking.
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('=');
    if (i > 0) params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
  });
  if (params.sort) {
    var parts = params.sort.split(':');
    rankingTables.forEach(function (t) { t.sortBy(parts[0], parts[1] === 'asc' ? 1 : -1); });
  }
  if (params.open) rankingTables.forEach(function (t) { t.openKey(params.open); });
  document.body.setAttribute('data-rendered', 'true');
}

try {
  main();
} catch (e) {
  errorBox.textContent = 'The page script failed: ' + e;
  throw e;
}
})();
