"""Pins the layers of ARCHITECTURE.md on the Bazel dependency graph of every binary.

Reads the graph `bazel query --output=graph` gives for deps() of the tools (the
genquery //tools:dependency_graph) and fails, naming the edge, when a package depends
on a layer it may not use:

    contracts    harness/proto, agent/proto, leaderboard/proto: only each other
    common       common: contracts
    harness      harness, harness/python: common, contracts
    agent        agent, agent/llm, agent/testing: harness, common, contracts
    leaderboard  leaderboard: harness, common, contracts; agent only from
                 //leaderboard:verify (it replays a run's transcripts)
    tools        tools/...: everything

and when, through any path, `tools/evaluate` reaches the agent or a library of the
leaderboard other than `verify` reaches the harness's process runner (the sandbox).

    python3 tools/layers_test.py GRAPH_FILE
"""

import re
import sys

LAYERS = [
    ("contracts", ("//harness/proto", "//agent/proto", "//leaderboard/proto")),
    ("common", ("//common",)),
    ("harness", ("//harness", "//harness/python")),
    ("agent", ("//agent", "//agent/llm", "//agent/testing")),
    ("leaderboard", ("//leaderboard",)),
    ("tools", ("//tools",)),
]
ALLOWED = {
    "contracts": {"contracts"},
    "common": {"common", "contracts"},
    "harness": {"harness", "common", "contracts"},
    "agent": {"agent", "harness", "common", "contracts"},
    "leaderboard": {"leaderboard", "harness", "common", "contracts"},
    "tools": {name for name, _ in LAYERS},
}
# The one edge across layers that the table does not allow, and why it exists.
EXCEPTIONS = {("//leaderboard:verify", "agent")}
JUDGE_RUNNER = {"//harness:evaluator", "//harness:limited_process", "//harness:scratch"}


def package(label):
    return label.split(":")[0]


def layer(label):
    pkg = package(label)
    if not pkg.startswith("//"):
        return None  # external: Debian's libraries, protobuf
    for name, roots in LAYERS:  # contracts first: //harness/proto is not the harness
        if any(pkg == r or pkg.startswith(r + "/") for r in roots):
            return name
    return "other"  # suites, results, docker, third_party: data, never code


def read_graph(path):
    edges = []
    with open(path) as f:
        for line in f:
            m = re.match(r'\s*"([^"]+)" -> "([^"]+)"', line)
            if m:
                edges.append((m.group(1), m.group(2)))
    return edges


def closure(edges, start):
    out = {}
    for a, b in edges:
        out.setdefault(a, []).append(b)
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        for m in out.get(n, []):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def main():
    edges = read_graph(sys.argv[1])
    problems = []
    libraries = {a for a, _ in edges} | {b for _, b in edges}
    if sum(1 for n in libraries if layer(n) in ("common", "harness", "agent", "leaderboard")) < 40:
        problems.append(f"{sys.argv[1]}: too few of the project's targets; is the graph complete?")
    for a, b in edges:
        la, lb = layer(a), layer(b)
        if la is None or lb is None or la == "other":
            continue
        if lb == "other":
            if la in ("common", "contracts"):
                problems.append(f"{a} -> {b}: {la} uses no data of other packages")
            continue
        if lb not in ALLOWED[la] and (a, lb) not in EXCEPTIONS:
            problems.append(f"{a} -> {b}: the {la} layer may not use the {lb} layer (ARCHITECTURE.md)")
    reached = closure(edges, "//tools:evaluate")
    for n in sorted(reached):
        if layer(n) == "agent":
            problems.append(f"//tools:evaluate reaches {n}: evaluating a kernel needs no agent")
    for lib in sorted(n for n in libraries if layer(n) == "leaderboard" and n != "//leaderboard:verify"):
        for n in sorted(closure(edges, lib) & JUDGE_RUNNER):
            problems.append(f"{lib} reaches {n}: reading run folders needs no process runner")
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"PASS: {len(edges)} edges within the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
