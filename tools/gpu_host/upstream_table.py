#!/usr/bin/env python3
"""Both verdicts of runs of the suites imported from GEAK-eval (geak_tbg, geak_rocm), as
Markdown for a closing note or a results README.

    tools/gpu_host/upstream_table.py RUN_DIR [RUN_DIR ...] [--suite_dir=DIR ...] > UPSTREAM.md

Each RUN_DIR is a run folder of tools/evaluate or tools/run_config (run_record.json, and
results.jsonl for a run cut short); several folders are the shards of one run, or runs
of different suites: a task (suite and id) may have one result among them all, and a
second is an error naming both folders. --suite_dir names a suite's folder (the import's
out/upstream/geak_rocm, say; repeat it for several): its tasks (subfolders with a
task.textproto) that no folder has a result for are counted and listed as not judged.

The header names the suites, devices, harness versions and configurations of the
records, and counts: tasks in the suite folders, results, passes of the upstream verdict
(EvaluationResult.upstream: GEAK-eval's call and execution accuracy) and of the strict
one (the result's own call_ok and execution_ok), tasks timed, and the wall time (sum,
median per task). One table per suite gives each task's upstream verdict ("call ✓ exec
✓", or what failed and why), strict verdict (PASS, or failure_kind(check)), GEAK's
speedup (sum of the golden's medians over the candidate's; why not where unset), the
harness's speedup (geometric mean over the performance cases, with its 95% interval),
the number of cases timed and the wall seconds. Then every task that fails either
verdict, with the reasons, grouped by the strict failure kind (tasks that pass strict
but fail upstream in a group of their own). Reads only run records and task files.

Errors (a folder that is not a run folder, an unreadable record, a task judged twice)
end it with a message on stderr and exit status 2.
"""

import argparse
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summarize_runs import load, task_specs  # noqa: E402 - the one reader of run folders and specs

UPSTREAM_ONLY = "strict PASS, upstream fails"
NO_VERDICT = "no upstream verdict"


def fail(message):
    print(f"upstream_table: {message}", file=sys.stderr)
    sys.exit(2)


def one_line(text, limit):
    """`text` on one line, whitespace collapsed, cut to `limit` characters, safe in a
    Markdown table cell."""
    flat = " ".join(str(text or "").split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def read_run(run_dir):
    if not os.path.isdir(run_dir):
        fail(f"{run_dir}: no such run folder")
    if not os.path.isfile(os.path.join(run_dir, "run_record.json")):
        fail(f"{run_dir}: not a run folder (no run_record.json)")
    try:
        return load(run_dir)
    except SystemExit as e:  # load() exits with the reason as its code
        fail(e.code)


def suite_tasks(suite_dir):
    """(suite name, [task ids]) of a suite folder: its subfolders with a task.textproto,
    the suite named by their specs (else by the folder)."""
    if not os.path.isdir(suite_dir):
        fail(f"{suite_dir}: no such suite folder")
    specs = task_specs(suite_dir, ("id", "suite"))
    ids = [spec["id"] or name for name, spec in specs]
    suites = {spec["suite"] for _, spec in specs if spec["suite"]}
    if not ids:
        fail(f"{suite_dir}: no task folders (subfolders with task.textproto) in it")
    if len(suites) > 1:
        fail(f"{suite_dir}: its tasks name several suites ({', '.join(sorted(suites))})")
    return (suites.pop() if suites else os.path.basename(os.path.normpath(suite_dir))), ids


def kind_of(res):
    """The strict failure as failure_kind(check), or failure_kind."""
    kind = res.get("failure_kind") or "?"
    return f"{kind}({res['check']})" if res.get("check") else kind


def strict_ok(res):
    return bool(res.get("call_ok") and res.get("execution_ok"))


def upstream_ok(res):
    up = res.get("upstream")
    return bool(up and up.get("call_ok") and up.get("execution_ok"))


def mark(ok):
    return "✓" if ok else "✗"


def upstream_cell(res):
    up = res.get("upstream")
    if not up:
        return NO_VERDICT
    cell = f"call {mark(up.get('call_ok'))} exec {mark(up.get('execution_ok'))}"
    if not upstream_ok(res) and up.get("message"):
        cell += ": " + one_line(up["message"], 80)
    return cell


def geak_cell(res):
    up = res.get("upstream") or {}
    if "geak_speedup" in up:
        return f"{up['geak_speedup']:.3f}"
    why = up.get("geak_speedup_unavailable_reason") or res.get("timing_unavailable_reason")
    return "n/a" + (": " + one_line(why, 60) if why else "")


def speedup_cell(res):
    if not res.get("timing_available") or not res.get("speedup"):
        return "-"
    low, high = res.get("speedup_ci_low"), res.get("speedup_ci_high")
    ci = f" [{low:.3f}, {high:.3f}]" if low and high else ""
    return f"{res['speedup']:.3f}{ci}"


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--suite_dir", action="append", default=[],
                        help="a suite's folder: its tasks without a result are listed as not judged (repeatable)")
    args = parser.parse_args()

    known = {}  # suite -> task ids in its folder
    for d in args.suite_dir:
        suite, ids = suite_tasks(d)
        known.setdefault(suite, []).extend(ids)
    owner = {}  # task id -> suite, for records of several suites ("mixed")
    for suite, ids in known.items():
        for t in ids:
            owner[t] = suite if t not in owner else None

    records = [(d, read_run(d)) for d in args.runs]
    results = {}  # (suite, task) -> (run folder, result)
    envs, versions, configs, shards = set(), set(), set(), []
    for run_dir, rec in records:
        env = rec.get("environment", {})
        envs.add(f"{env.get('device_name') or '?'} (driver {env.get('driver_version') or '?'}, "
                 f"torch {env.get('torch_version') or '?'}, triton {env.get('triton_version') or '?'})")
        versions.add(rec.get("harness_version") or "?")
        configs.add(rec.get("configuration") or "?")
        if rec.get("shard"):
            shards.append(f"{rec['shard'].get('index', 0)} of {rec['shard'].get('count', '?')}")
        record_suite = os.path.basename((rec.get("suite") or "?").rstrip("/"))
        for res in rec.get("results", []):
            task = res.get("task_id", "")
            suite = record_suite if record_suite != "mixed" else (owner.get(task) or "mixed")
            if (suite, task) in results:
                first = results[(suite, task)][0]
                where = f"twice in {run_dir}" if first == run_dir else f"in both {first} and {run_dir}"
                fail(f"task {suite}/{task} has a result {where}: give each task's result once "
                     f"(the shards of one run, or runs of different suites)")
            results[(suite, task)] = (run_dir, res)

    suites = sorted({s for s, _ in results} | set(known))
    judged = [res for _, res in results.values()]
    not_judged = {s: sorted(set(ids) - {t for (rs, t) in results if rs == s}) for s, ids in known.items()}
    strays = sorted(f"{s}/{t}" for s, t in results if s in known and t not in known[s])
    walls = [res.get("wall_seconds", 0.0) for res in judged]
    upstream = [res.get("upstream") for res in judged if res.get("upstream")]
    timed = [res for res in judged if res.get("timing_available")]
    unfinished = [d for d, rec in records if rec.get("unfinished") or not rec.get("finished_at")
                  or rec.get("interrupted")]

    n = len(judged)
    print(f"## Upstream and strict verdicts: {', '.join(suites)}\n")
    print(f"- runs: {len(records)} ({', '.join(d for d, _ in records)})"
          + (f"; shards {', '.join(shards)}" if shards else "")
          + (f"; unfinished: {', '.join(unfinished)}" if unfinished else ""))
    print(f"- device: {'; '.join(sorted(envs))}")
    print(f"- harness: {', '.join(sorted(versions))}; configuration: {', '.join(sorted(configs))}")
    if known:
        total = sum(len(ids) for ids in known.values())
        missing = sum(len(ids) for ids in not_judged.values())
        print(f"- tasks in the suite folders: {total} ({missing} not judged)")
    print(f"- results: {n}")
    print(f"- upstream: call {sum(1 for u in upstream if u.get('call_ok'))}/{n}, "
          f"exec {sum(1 for u in upstream if u.get('call_ok') and u.get('execution_ok'))}/{n}"
          + (f" ({n - len(upstream)} without an upstream verdict)" if len(upstream) < n else ""))
    print(f"- strict: call {sum(1 for r in judged if r.get('call_ok'))}/{n}, "
          f"pass {sum(1 for r in judged if strict_ok(r))}/{n}")
    speedups = geomean(r.get("speedup") for r in timed)
    geak = geomean((r.get("upstream") or {}).get("geak_speedup") for r in judged)
    print(f"- timed: {len(timed)}/{n}"
          + (f"; speedup geomean {speedups:.3f}" if speedups else "")
          + (f", GEAK speedup geomean {geak:.3f}" if geak else ""))
    if walls:
        print(f"- wall time: {sum(walls):.1f} s in all, median {statistics.median(walls):.1f} s per task")
    if strays:
        print(f"- results for tasks not in the suite folders: {', '.join(strays)}")

    for suite in suites:
        rows = sorted((t, res) for (s, t), (_, res) in results.items() if s == suite)
        rows += [(t, None) for t in not_judged.get(suite, [])]
        print(f"\n### {suite}\n")
        print("| task | upstream | strict | GEAK speedup | speedup [95% CI] | cases timed | wall s |")
        print("|---|---|---|---|---|---|---|")
        for task, res in sorted(rows, key=lambda row: row[0]):
            if res is None:
                print(f"| {task} | not judged | not judged | - | - | - | - |")
                continue
            strict = "PASS" if strict_ok(res) else kind_of(res)
            print(f"| {task} | {upstream_cell(res)} | {strict} | {geak_cell(res)} | {speedup_cell(res)} | "
                  f"{len(res.get('performance', []))} | {res.get('wall_seconds', 0.0):.1f} |")

    groups = {}
    for (suite, task), (_, res) in results.items():
        if strict_ok(res) and upstream_ok(res):
            continue
        if not strict_ok(res):
            key = kind_of(res)
            line = f"strict: {one_line(res.get('message') or '(no message)', 200)}"
            if not res.get("upstream"):
                line += f"; {NO_VERDICT}"
            elif upstream_ok(res):
                line += "; upstream: passes"
        else:
            key, line = UPSTREAM_ONLY, ""
        up = res.get("upstream")
        if up and not upstream_ok(res):
            line += ("; " if line else "") + (f"upstream: call {mark(up.get('call_ok'))} exec "
                                              f"{mark(up.get('execution_ok'))}: "
                                              f"{one_line(up.get('message') or '(no message)', 200)}")
        groups.setdefault(key, []).append(f"- {suite}/{task}: {line}")
    print("\n### Failures with reasons\n")
    if not groups:
        print("None: every result passes both verdicts.")
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        print(f"**{key}** ({len(groups[key])})\n")
        print("\n".join(sorted(groups[key])) + "\n")
    if any(not_judged.values()):
        print("Not judged (no result in these runs): "
              + ", ".join(f"{s}/{t}" for s in sorted(not_judged) for t in not_judged[s]))


if __name__ == "__main__":
    main()
