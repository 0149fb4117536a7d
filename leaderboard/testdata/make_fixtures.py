#!/usr/bin/env python3
"""Writes the synthetic suite and run records under suites/ and runs/ that the
leaderboard tests read.

These are NOT measurements: a made-up suite "fixture_suite" with two releases and
hand-chosen figures, including LLM configurations (model "fixture-model-a", provider
"fixture") that no real run has, so that the page's pass@k and sequential-scaling
charts and the drill-down have something to draw; the leaderboard labels every row of
them as a test fixture. Also the records that must be refused or listed: corrupt,
partial (interrupted), orphan, a release that does not exist, a result whose release
contradicts its content hash, results.jsonl disagreeing with run_record.json, and
results on task content of no release.

suites/fixture_suite/ has tasks add, extra, flip, matmul, softmax and releases.textproto:
  1.0  add, flip, matmul, softmax   (softmax with content since edited: a made-up hash)
  1.1  add, extra, flip, matmul, softmax   (the tree as it is)
Task hashes follow harness/suite.h ContentHash, manifest hashes harness/release.h
ManifestHash; //leaderboard:catalog_test checks both against the C++ (cli_test uses
these functions too).
Run it from this folder; the output is checked in (rerun only to change fixtures).
"""
import hashlib
import json
import math
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "suites", "fixture_suite")
OUT = os.path.join(HERE, "runs")
CATEGORIES = {"add": "elementwise", "extra": "matmul", "flip": "indexing", "matmul": "matmul",
              "softmax": "softmax / loss"}
ENV = {"backend": "cuda", "device_name": "Fixture GPU", "device_count": 1, "driver_version": "0.0",
       "runtime_version": "0.0", "torch_version": "0.0", "triton_version": "0.0", "python_version": "3"}
OLD_SOFTMAX = hashlib.sha256(b"fixture_suite/softmax as released in 1.0").hexdigest()


def content_hash(folders):
    """harness/suite.h ContentHash of task folders (one: a task's content hash; several:
    a run's suite_content_hash)."""
    h = hashlib.sha256()
    for folder in sorted(folders, key=os.path.basename):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):  # regular files, followed through links
                data = open(path, "rb").read()
                h.update(f"{os.path.basename(folder)}/{name}\0{len(data)}\0".encode() + data)
    return h.hexdigest()


def manifest_text(suite, releases):
    """releases.textproto of (name, date, summary, {task id: content hash}) releases."""
    text = ("# proto-file: harness/proto/release.proto\n# proto-message: tritonbench.SuiteReleases\n"
            f'suite: "{suite}"\n')
    for name, date, summary, tasks in releases:
        manifest = hashlib.sha256("".join(f"{t}\0{tasks[t]}\n" for t in sorted(tasks)).encode()).hexdigest()
        text += f'releases {{\n  name: "{name}"\n  date: "{date}"\n  summary: "{summary}"\n'
        for t in sorted(tasks):
            text += f'  tasks {{ id: "{t}" content_hash: "{tasks[t]}" }}\n'
        text += f'  manifest_hash: "{manifest}"\n}}\n'
    return text


def write_suite():
    shutil.rmtree(os.path.join(HERE, "suites"), ignore_errors=True)
    for task, category in CATEGORIES.items():
        d = os.path.join(SUITE, task)
        os.makedirs(d)
        with open(os.path.join(d, "task.textproto"), "w") as f:
            f.write(f'# A leaderboard test fixture, not a benchmark task.\nid: "{task}"\nsuite: "fixture_suite"\n'
                    f'category: "{category}"\ninstruction: "fixture"\nentry_point: "{task}"\n'
                    f'signature: "def {task}(x)"\n'
                    'correctness_cases { name: "small" dims { key: "N" value: 4 } dtype: "float32" seeds: [1] }\n'
                    'tolerances { dtype: "float32" atol: 1e-6 rtol: 1e-6 }\n')
        with open(os.path.join(d, "kernel.py"), "w") as f:
            f.write(f"# Fixture ground truth of {task} (not a kernel).\n")
        with open(os.path.join(d, "reference.py"), "w") as f:
            f.write(f"# Fixture reference of {task}.\n")
    hashes = {t: content_hash([os.path.join(SUITE, t)]) for t in CATEGORIES}
    releases = [("1.0", "2026-11-20", "first release",
                 {t: (OLD_SOFTMAX if t == "softmax" else hashes[t]) for t in ["add", "flip", "matmul", "softmax"]}),
                ("1.1", "2026-11-27", "extra added, softmax's cases changed", dict(hashes))]
    with open(os.path.join(SUITE, "releases.textproto"), "w") as f:
        f.write("# A leaderboard test fixture (leaderboard/testdata/make_fixtures.py).\n")
        f.write(manifest_text("fixture_suite", releases))
    return hashes


def perf(pairs):
    """Performance cases from (ground-truth median ms, candidate median ms) pairs."""
    return [{"case_name": f"case{i}", "ground_truth": {"median_ms": g, "repetitions": 10},
             "candidate": {"median_ms": c, "repetitions": 10}, "speedup": g / c} for i, (g, c) in enumerate(pairs)]


def result(task, task_hash_, ok=True, pairs=((1.0, 1.0),), kind="NONE", call_ok=None, release="", message="",
           candidate=""):
    timed = ok and bool(pairs)
    r = {"task_id": task, "task_content_hash": task_hash_, "release": release,
         "call_ok": ok if call_ok is None else call_ok, "execution_ok": ok, "failure_kind": kind,
         "message": message, "timing_available": timed, "candidate_path": candidate}
    if timed:
        r["performance"] = perf(pairs)
        r["speedup"] = math.exp(sum(math.log(g / c) for g, c in pairs) / len(pairs))
    return r


def write(name, configuration, results, model=None, generations=None, finished=True, interrupted=False,
          suite_content_hash="f" * 64, release="", env=ENV, jsonl=None, candidates=None):
    d = os.path.join(OUT, name)
    os.makedirs(d)
    rec = {
        "run_id": "fixture-" + name.replace("/", "-"),
        "started_at": "2026-11-28T00:00:00Z",
        "finished_at": "2026-11-28T00:01:00Z" if finished else "",
        "harness_version": "0.9.0",
        "harness_content_hash": "fixture-harness",
        "suite": "fixture_suite",
        "suite_content_hash": suite_content_hash,
        "release": release,
        "configuration": configuration,
        "environment": env,
        "results": results,
        "tasks_total": len(results),
        "call_ok": sum(r["call_ok"] for r in results),
        "execution_ok": sum(r["execution_ok"] for r in results),
        "command_line": "fixture (made by leaderboard/testdata/make_fixtures.py)",
        "interrupted": interrupted,
    }
    if model:
        rec["model"] = {"name": model, "provider": "fixture"}
    if generations:
        rec["generations"] = generations
    with open(os.path.join(d, "run_record.json"), "w") as f:
        json.dump(rec, f, indent=1)
    with open(os.path.join(d, "results.jsonl"), "w") as f:
        for r in (jsonl if jsonl is not None else results):
            f.write(json.dumps(r) + "\n")
    for path, text in (candidates or {}).items():
        os.makedirs(os.path.join(d, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(d, path), "w") as f:
            f.write(text)


def gen(task, iterations, first=None, tokens=1000, cost=0.01):
    g = {"task_id": task, "iterations": iterations, "llm_calls": iterations, "prompt_tokens": tokens,
         "completion_tokens": tokens // 2, "cost_usd": cost * iterations}
    if first is not None:
        g["iterations_to_first_correct"] = first
        g["llm_calls_to_first_correct"] = first
    return g


def llm_run(name, configuration, outcomes):
    """outcomes: task -> (ok, pairs, kind, iterations, first correct iteration)."""
    results, gens, files = [], [], {}
    for task, (ok, pairs, kind, iterations, first) in outcomes.items():
        path = f"candidates/{task}/iter{iterations}_c0.py"
        files[path] = f"# fixture candidate for {task} ({name}), not a kernel\n"
        results.append(result(task, H[task], ok, pairs if ok else (), kind, call_ok=kind != "COMPILE_ERROR",
                              release="1.1", message="" if ok else f"fixture failure of {task}",
                              candidate=f"/elsewhere/{name}/{path}"))
        gens.append(gen(task, iterations, first))
    write(name, configuration, results, model="fixture-model-a", generations=gens, release="1.1", candidates=files)


def main():
    global H
    H = write_suite()
    shutil.rmtree(OUT, ignore_errors=True)
    tasks = sorted(CATEGORIES)
    # Ground truth on the whole of release 1.1; per-case medians make the harness's
    # speedup (geometric mean of case ratios) and GEAK's (ratio of sums) differ.
    write("ground_truth/run1", "ground_truth",
          [result(t, H[t], pairs=((1.0, 1.0), (0.2, 0.2))) for t in tasks], release="1.1")
    # Ground truth on another GPU that measured only 3 of 1.1's 5 tasks: 100% of those,
    # 60% of the release.
    write("ground_truth/partial", "ground_truth",
          [result(t, H[t]) for t in ["add", "flip", "matmul"]], release="1.1",
          env=dict(ENV, device_name="Fixture GPU B"))
    # torch.compile: softmax wrong; add 2x at the large case, equal at the small one.
    write("torch_compile/run1", "torch_compile",
          [result("add", H["add"], pairs=((1.0, 0.5), (0.1, 0.1))),
           result("extra", H["extra"], pairs=((2.0, 4.0),)),
           result("flip", H["flip"], pairs=((1.0, 1.0),)),
           result("matmul", H["matmul"], pairs=((1.0, 0.8), (1.0, 1.25))),
           result("softmax", H["softmax"], False, (), "WRONG_VALUES", call_ok=True,
                  message="case 'small' seed 1: 3 of 4 elements outside tolerance")], release="1.1")
    # Zero-shot, three runs: add correct in 3, flip in 2, matmul in 1, softmax and extra never.
    for i, (flip_ok, mm_ok) in enumerate([(True, True), (True, False), (False, False)], 1):
        llm_run(f"zero_shot/run{i}", "zero_shot", {
            "add": (True, ((1.0, 0.8),), "NONE", 1, 1),
            "extra": (False, (), "COMPILE_ERROR", 1, None),
            "flip": (flip_ok, ((1.0, 1.25),), "NONE" if flip_ok else "WRONG_VALUES", 1, 1 if flip_ok else None),
            "matmul": (mm_ok, ((1.0, 2.0),), "NONE" if mm_ok else "RUNTIME_ERROR", 1, 1 if mm_ok else None),
            "softmax": (False, (), "WRONG_VALUES", 1, None)})
    # Agent, two runs of up to 8 iterations: accuracy climbs with iterations.
    for i, firsts in enumerate([{"add": 1, "flip": 2, "matmul": 5, "extra": None, "softmax": 7},
                                {"add": 1, "flip": 3, "matmul": None, "extra": 4, "softmax": None}], 1):
        llm_run(f"agent/run{i}", "geak_agent", {
            t: (f is not None, ((1.0, 0.5), (0.5, 0.4)), "NONE" if f is not None else "WRONG_VALUES", 8 if f is None else f, f)
            for t, f in firsts.items()})
    # A run from before results carried task hashes, whose tasks are unchanged in the tree:
    # counted in both releases (add and flip are the same in 1.0 and 1.1).
    legacy = [result("add", ""), result("flip", "")]
    write("legacy/unchanged", "torch_eager", legacy,
          suite_content_hash=content_hash([os.path.join(SUITE, "add"), os.path.join(SUITE, "flip")]))
    # Listed as unreleased, never counted: an old record of tasks that changed since, and
    # results on task content no release holds.
    write("legacy/changed", "torch_eager", legacy, suite_content_hash="e" * 64)
    edited = hashlib.sha256(b"an edit of matmul never released").hexdigest()
    write("unreleased/run1", "ground_truth", [result("matmul", edited), result("add", H["add"])])
    # Records that must be skipped.
    write("bad/interrupted", "zero_shot", [result("add", H["add"])], interrupted=True)
    write("bad/unknown_release", "ground_truth", [result("add", H["add"])], release="2.0")
    write("bad/release_mismatch", "ground_truth",
          [result("add", H["add"], release="1.1"), result("softmax", OLD_SOFTMAX, release="1.1")])
    write("bad/jsonl_mismatch", "ground_truth", [result("add", H["add"])],
          jsonl=[result("add", H["flip"])])
    os.makedirs(os.path.join(OUT, "bad/corrupt"))
    with open(os.path.join(OUT, "bad/corrupt/run_record.json"), "w") as f:
        f.write('{"run_id": "cut-off", "suite": "fixture_suite", "results": [{"task_id": "add", ')
    os.makedirs(os.path.join(OUT, "bad/orphan"))
    with open(os.path.join(OUT, "bad/orphan/results.jsonl"), "w") as f:
        f.write(json.dumps(result("add", H["add"])) + "\n")


if __name__ == "__main__":
    main()
