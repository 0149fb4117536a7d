#!/usr/bin/env python3
"""Writes the synthetic run records under runs/ that the leaderboard tests read.

These are NOT measurements: a made-up suite "fixture_suite" with hand-chosen figures,
including LLM configurations (model, generations) that no real run has yet, so that
the page's LLM-calls plot and drill-down have something to draw, plus one corrupt,
one partial (interrupted) and one orphan record that must be skipped.
Run it from this folder; the output is checked in (rerun only to change fixtures).
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "runs")
TASKS = ["add", "flip", "matmul", "softmax"]
ENV = {"backend": "cuda", "device_name": "Fixture GPU", "device_count": 1}


def result(task, ok=True, speedup=1.0, kind="NONE", call_ok=None):
    return {
        "task_id": task,
        "call_ok": ok if call_ok is None else call_ok,
        "execution_ok": ok,
        "failure_kind": kind,
        "timing_available": ok,
        "speedup": speedup if ok else 0,
    }


def write(name, configuration, results, suite_hash="1111111111111111111111111111111111111111111111111111111111111111", model=None, generations=None,
          finished=True, interrupted=False, jsonl=True):
    d = os.path.join(OUT, name)
    os.makedirs(d)
    rec = {
        "run_id": "fixture-" + name.replace("/", "-"),
        "started_at": "2026-11-25T00:00:00Z",
        "finished_at": "2026-11-25T00:01:00Z" if finished else "",
        "harness_version": "0.1.0",
        "harness_content_hash": "fixture-harness",
        "suite": "fixture_suite",
        "suite_content_hash": suite_hash,
        "configuration": configuration,
        "environment": ENV,
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
    if jsonl:
        with open(os.path.join(d, "results.jsonl"), "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")


def gen(task, calls, first=None, tokens=1000, cost=0.01):
    g = {"task_id": task, "iterations": calls, "llm_calls": calls, "prompt_tokens": tokens,
         "completion_tokens": tokens // 2, "cost_usd": cost * calls}
    if first is not None:
        g["iterations_to_first_correct"] = first
        g["llm_calls_to_first_correct"] = first
    return g


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    write("ground_truth/run1", "ground_truth", [result(t, True, 1.0) for t in TASKS])
    # zero-shot, two runs: add and flip correct in both, matmul in one, softmax never.
    for i, (mm_ok, s_add, s_flip) in enumerate([(True, 1.2, 0.6), (False, 1.4, 0.8)], 1):
        write(f"zero_shot/run{i}", "zero_shot",
              [result("add", True, s_add), result("flip", True, s_flip),
               result("matmul", mm_ok, 0.3, "NONE" if mm_ok else "WRONG_VALUES", call_ok=True),
               result("softmax", False, 0, "COMPILE_ERROR")],
              model="model-a",
              generations=[gen("add", 1, 1), gen("flip", 1, 1), gen("matmul", 1, 1 if mm_ok else None),
                           gen("softmax", 1)])
    # agent: up to 8 calls per task; the accuracy-against-calls curve climbs.
    write("agent/run1", "agent",
          [result("add", True, 2.5), result("flip", True, 1.1), result("matmul", True, 0.9),
           result("softmax", False, 0, "WRONG_VALUES", call_ok=True)],
          model="model-a",
          generations=[gen("add", 2, 2, 3000), gen("flip", 4, 3, 3000), gen("matmul", 8, 7, 5000),
                       gen("softmax", 8, None, 5000)])
    # A second version of the suite: a row of its own, flagged.
    write("ground_truth_v2/run1", "ground_truth", [result(t, True, 1.0) for t in TASKS + ["extra"]],
          suite_hash="2222222222222222222222222222222222222222222222222222222222222222")
    # Records that must be skipped.
    write("bad/interrupted", "zero_shot", [result("add")], interrupted=True)
    os.makedirs(os.path.join(OUT, "bad/corrupt"))
    with open(os.path.join(OUT, "bad/corrupt/run_record.json"), "w") as f:
        f.write('{"run_id": "cut-off", "suite": "fixture_suite", "results": [{"task_id": "add", ')
    os.makedirs(os.path.join(OUT, "bad/orphan"))
    with open(os.path.join(OUT, "bad/orphan/results.jsonl"), "w") as f:
        f.write(json.dumps(result("add")) + "\n")


if __name__ == "__main__":
    main()
