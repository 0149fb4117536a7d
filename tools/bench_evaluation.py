#!/usr/bin/env python3
"""Where one candidate evaluation spends its time: evaluate run N times on one task.

    tools/bench_evaluation.py [--task=DIR] [--candidate=FILE] [--device=cpu|gpu|auto]
        [--repeat=5] [--evaluate=BINARY] [--json_out=FILE] [--compare=OLD.json]
        [-- EXTRA EVALUATE FLAGS]
    tools/bench_evaluation.py --from_json=NEW.json --compare=OLD.json

Each run is `evaluate --task=DIR [--candidate=FILE] --json --out=<fresh folder>` in a
temporary folder that is removed at the end, also when interrupted. The table gives,
per part, the median and the range over the runs, in seconds:

- the worker's stages (EvaluationResult.stage_seconds: setup, load task, reference
  outputs, import candidate, correctness case, timing ...), their total, and "outside
  stages" = wall_seconds - that total (the worker's process start, its imports before
  the first stage, forking the candidate's and yardstick's processes, the result
  exchange);
- the worker's wall time (wall_seconds, measured by evaluate around the worker);
- "runner overhead" = the runner's wall time (measured here around evaluate) -
  wall_seconds, split at evaluate's "device:" line into its start with the device probe
  (a second Python process that imports torch) and the rest (run folder, scratch
  folder, results written, exit);
- gpu_lock entries, which overlap the stages (evaluations sharing a GPU only).

--json_out writes the numbers; --compare prints the change per part against such a
file from an earlier version (before and after). Exit status: 0, or 2 when the binary,
task or candidate is missing or a run fails (non-zero exit, or a verdict other than a
pass): no table is printed from failed runs. Standard library only.
"""

import argparse
import json
import os
import selectors
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAT = "bench_evaluation 1"
DEFAULT_TASK = "suites/tritonbench_revised/vector_addition"

# The worker's stages in the order an evaluation passes them (stage_seconds is a map:
# its JSON has no order). Stages not listed here follow, by name.
STAGE_ORDER = [
    "setup", "load task", "reference outputs", "baseline check", "load yardstick",
    "import candidate", "correctness case", "golden run", "upstream tests", "timing case",
    "timing draws", "timing first calls", "timing rounds", "timing profile", "timing outputs",
]
# Time spent waiting for or holding the GPU lock, inside the stages: not added to them.
OVERLAPPING_PREFIX = "gpu_"

STAGES_TOTAL = "worker stages, total"
OUTSIDE = "worker outside stages (process start, imports, result exchange)"
WORKER_WALL = "worker wall (wall_seconds)"
RUNNER_START = "runner start and device probe"
RUNNER_REST = "runner after the probe, outside the worker"
OVERHEAD = "runner overhead (runner wall - wall_seconds)"
RUNNER_WALL = "runner wall"


class BenchError(Exception):
    """A failure reported as one line, exit status 2."""


class Stopped(Exception):
    """SIGTERM or SIGHUP: clean up as for Ctrl-C."""


def on_stop_signal(signum, frame):
    raise Stopped()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class SignalsIgnored:
    """Cleanup that a second Ctrl-C must not cut short (a process left running, a
    folder half removed)."""

    def __enter__(self):
        self.saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}

    def __exit__(self, *exc):
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def shorten(text, limit=400):
    """Text on one line, its tail kept (where an error ends up)."""
    line = " | ".join(s.strip() for s in text.splitlines() if s.strip())
    return line if len(line) <= limit else "..." + line[-limit:]


def default_evaluate():
    for path in ("bazel-bin/tools/evaluate", "dist/evaluate"):
        if os.path.exists(os.path.join(REPO, path)):
            return os.path.join(REPO, path)
    return os.path.join(REPO, "bazel-bin/tools/evaluate")


def run_once(argv):
    """One evaluate process: (exit code, stdout, stderr, its wall time, the moment it
    printed its device line or None), times in seconds from its start."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    chunks = {"out": [], "err": []}
    err_so_far = b""
    device_line = None
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        while sel.get_map():
            for key, _ in sel.select():
                data = os.read(key.fileobj.fileno(), 65536)
                now = time.monotonic()
                if not data:
                    sel.unregister(key.fileobj)
                    continue
                chunks[key.data].append(data)
                if key.data == "err" and device_line is None:
                    # The line is read as evaluate prints it (its stderr is unbuffered).
                    err_so_far += data
                    if any(line.startswith(b"device: ") for line in err_so_far.split(b"\n")[:-1]):
                        device_line = now - start
        proc.wait()
    finally:
        if proc.poll() is None:
            with SignalsIgnored():
                stop(proc)
    wall = time.monotonic() - start
    return proc.returncode, b"".join(chunks["out"]).decode(errors="replace"), \
        b"".join(chunks["err"]).decode(errors="replace"), wall, device_line


def stop(proc):
    """evaluate stops on SIGINT, its worker and scratch folder with it; SIGKILL if not."""
    try:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def one_run(args, index, tmp):
    out_dir = os.path.join(tmp, f"run{index}")
    argv = [args.evaluate, f"--task={args.task}", f"--device={args.device}", "--json", f"--out={out_dir}",
            # Inside the temporary folder, so that nothing outlives this script.
            f"--scratch_dir={os.path.join(tmp, 'scratch')}"]
    if args.candidate:
        argv.append(f"--candidate={args.candidate}")
    if args.python:
        argv.append(f"--python={args.python}")
    argv.append(f"--worker={args.worker}")
    argv += args.evaluate_args
    os.makedirs(os.path.join(tmp, "scratch"), exist_ok=True)
    code, out, err, wall, probe_done = run_once(argv)
    what = f"run {index + 1} of {args.repeat}"
    if code == 130:
        raise KeyboardInterrupt
    result = None
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
    if result is None:
        raise BenchError(f"{what} failed: {os.path.basename(args.evaluate)} exited {code} without a result: "
                         f"{shorten(err) or '(no stderr)'}")
    if not result.get("execution_ok") or result.get("failure_kind", "NONE") != "NONE":
        kind = result.get("failure_kind", "NONE")
        if result.get("check"):
            kind += f"({result['check']})"
        detail = shorten(result.get("message", ""), 300)
        tail = shorten(result.get("stderr_tail", ""), 200)
        raise BenchError(f"{what} failed: {result.get('task_id', '?')} is not a pass ({kind}): {detail}"
                         + (f" (worker stderr: {tail})" if tail else ""))
    if code != 0:
        raise BenchError(f"{what} failed: {os.path.basename(args.evaluate)} exited {code}: "
                         f"{shorten(err) or '(no stderr)'}")
    try:
        with open(os.path.join(out_dir, "run_record.json")) as f:
            record = json.load(f)
    except (OSError, ValueError) as e:
        raise BenchError(f"{what}: cannot read the run record in {out_dir}: {e}")
    device_line = next((line[len("device: "):] for line in err.splitlines() if line.startswith("device: ")), "")
    stages = {k: float(v) for k, v in result.get("stage_seconds", {}).items()}
    run = {
        "runner_wall_seconds": wall,
        "wall_seconds": float(result.get("wall_seconds", 0.0)),
        "stage_seconds": stages,
        "device": result.get("device", ""),
        "device_line": device_line,
        "harness_version": record.get("harness_version", ""),
        "harness_content_hash": record.get("harness_content_hash", ""),
    }
    if probe_done is not None:
        run["probe_done_seconds"] = probe_done
    return run


def ordered_stages(runs):
    names = {k for r in runs for k in r["stage_seconds"]}
    known = [s for s in STAGE_ORDER if s in names]
    rest = sorted(names - set(STAGE_ORDER), key=lambda s: (s.startswith(OVERLAPPING_PREFIX), s))
    return known + rest


def parts_of(runs):
    """Every part as (name, kind, seconds per run); kind is stage, total or overlapping.
    A stage some run did not pass through counts 0 s in it."""
    parts = []
    stage_names = ordered_stages(runs)
    added = [n for n in stage_names if not n.startswith(OVERLAPPING_PREFIX)]
    for name in added:
        parts.append((name, "stage", [r["stage_seconds"].get(name, 0.0) for r in runs]))
    sums = [sum(r["stage_seconds"].get(n, 0.0) for n in added) for r in runs]
    walls = [r["wall_seconds"] for r in runs]
    overhead = [r["runner_wall_seconds"] - r["wall_seconds"] for r in runs]
    parts.append((STAGES_TOTAL, "total", sums))
    parts.append((OUTSIDE, "total", [w - s for w, s in zip(walls, sums)]))
    parts.append((WORKER_WALL, "total", walls))
    # Split only where every run printed its device line (evaluate always does with --out).
    if all("probe_done_seconds" in r for r in runs):
        probe = [r["probe_done_seconds"] for r in runs]
        parts.append((RUNNER_START, "total", probe))
        parts.append((RUNNER_REST, "total", [o - p for o, p in zip(overhead, probe)]))
    parts.append((OVERHEAD, "total", overhead))
    parts.append((RUNNER_WALL, "total", [r["runner_wall_seconds"] for r in runs]))
    for name in stage_names:
        if name.startswith(OVERLAPPING_PREFIX):
            parts.append((name, "overlapping", [r["stage_seconds"].get(name, 0.0) for r in runs]))
    return parts


def summary(args, runs):
    """The JSON form of a measurement (--json_out, --from_json, --compare)."""
    first = runs[0]
    return {
        "format": FORMAT,
        "device": first["device"],
        "device_line": first["device_line"],
        "task": args.task_as_given,
        "candidate": args.candidate_as_given,
        "repeat": len(runs),
        "evaluate": args.evaluate_as_given,
        "evaluate_args": args.evaluate_args,
        "harness_version": first["harness_version"],
        "harness_content_hash": first["harness_content_hash"],
        "parts": [{"name": name, "kind": kind, "median": statistics.median(values), "min": min(values),
                   "max": max(values), "seconds": values} for name, kind, values in parts_of(runs)],
        "runs": runs,
    }


def load_summary(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise BenchError(f"cannot read {path}: {e}")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("parts"), list):
        raise BenchError(f"{path} is not a {FORMAT!r} file (tools/bench_evaluation.py --json_out)")
    return data


def candidate_label(data):
    return data["candidate"] or "the task's kernel.py (ground truth)"


def harness_label(data):
    return f"harness {data['harness_version'] or '?'} ({data['harness_content_hash'][:12] or 'no hash'})"


def print_table(data):
    print(f"Evaluation loop, {data['repeat']} runs on {data['device'] or '?'}: task {data['task']}, "
          f"candidate {candidate_label(data)}, evaluate {' '.join([data['evaluate']] + data['evaluate_args'])}, "
          f"{harness_label(data)}")
    if data["device_line"]:
        print(f"device: {data['device_line']}")
    print()
    wall = next((p["median"] for p in data["parts"] if p["name"] == RUNNER_WALL), 0.0)
    print("| part | median s | min s | max s | share of runner wall |")
    print("|---|---:|---:|---:|---:|")
    for p in data["parts"]:
        name = p["name"] if p["kind"] == "stage" else f"**{p['name']}**" if p["kind"] == "total" \
            else f"{p['name']} (inside the stages)"
        share = f"{100 * p['median'] / wall:.1f}%" if wall > 0 else "-"
        print(f"| {name} | {p['median']:.3f} | {p['min']:.3f} | {p['max']:.3f} | {share} |")


def print_comparison(old, new, old_path):
    print(f"\nChange against {old_path} (before: {harness_label(old)}, {old['repeat']} runs; "
          f"after: {harness_label(new)}, {new['repeat']} runs):")
    differs = [k for k in ("device", "device_line", "task", "candidate") if old.get(k) != new.get(k)]
    if differs:
        print("warning: the two measurements differ in " + ", ".join(
            f"{k} ({old.get(k) or '-'} before, {new.get(k) or '-'} after)" for k in differs))
    print()
    print("| part | before s | after s | change s | change | ranges overlap |")
    print("|---|---:|---:|---:|---:|---|")
    before = {p["name"]: p for p in old["parts"]}
    after = {p["name"]: p for p in new["parts"]}
    names = [p["name"] for p in new["parts"]] + [p["name"] for p in old["parts"] if p["name"] not in after]
    for name in names:
        b, a = before.get(name), after.get(name)
        if b is None or a is None:
            cells = [f"{p['median']:.3f}" if p else "-" for p in (b, a)]
            print(f"| {name} | {cells[0]} | {cells[1]} | - | - | - |")
            continue
        change = a["median"] - b["median"]
        pct = f"{100 * change / b['median']:+.1f}%" if b["median"] > 0 else "-"
        overlap = "yes" if a["min"] <= b["max"] and b["min"] <= a["max"] else "no"
        print(f"| {name} | {b['median']:.3f} | {a['median']:.3f} | {change:+.3f} | {pct} | {overlap} |")


def user_path(path):
    return os.path.abspath(os.path.expanduser(path)) if path else path


def parse_args(argv):
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Arguments after -- go to evaluate unchanged (e.g. --scratch_dir=/dev/shm).")
    parser.add_argument("--evaluate", help="the evaluate binary; default bazel-bin/tools/evaluate, else "
                                           "dist/evaluate (tools/package_binaries.sh)")
    parser.add_argument("--task", help=f"task folder; default {DEFAULT_TASK} of this checkout")
    parser.add_argument("--candidate", default="", help="candidate file; default the task's kernel.py")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "gpu"])
    parser.add_argument("--repeat", type=int, default=5, help="evaluations to run (default 5)")
    parser.add_argument("--python", default="", help="evaluate --python (default: evaluate's, $TB_PYTHON)")
    parser.add_argument("--worker", default="", help="evaluate --worker; default this checkout's "
                                                     "harness/python/worker.py, the harness measured")
    parser.add_argument("--json_out", help="also write the numbers here, for --compare later")
    parser.add_argument("--compare", help="an earlier --json_out: print the change per part against it")
    parser.add_argument("--from_json", help="print the table of this earlier --json_out; run nothing")
    args = parser.parse_args(argv)
    args.evaluate_args = extra
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def check_inputs(args):
    """Paths resolved and checked before any run; a BenchError names what is missing."""
    args.evaluate_as_given = args.evaluate or os.path.relpath(default_evaluate(), REPO)
    args.evaluate = user_path(args.evaluate) if args.evaluate else default_evaluate()
    if not os.path.isfile(args.evaluate) or not os.access(args.evaluate, os.X_OK):
        raise BenchError(f"evaluate binary {args.evaluate} not found or not executable "
                         "(bazel build //tools:evaluate, or tools/package_binaries.sh for dist/)")
    args.task_as_given = args.task or DEFAULT_TASK
    task = user_path(args.task) if args.task else os.path.join(REPO, DEFAULT_TASK)
    if not os.path.isdir(task):
        raise BenchError(f"task folder {args.task_as_given} does not exist")
    if not os.path.isfile(os.path.join(task, "task.textproto")):
        raise BenchError(f"{args.task_as_given} is not a task folder (no task.textproto)")
    args.task = task
    args.candidate_as_given = args.candidate
    if args.candidate:
        args.candidate = user_path(args.candidate)
        if not os.path.isfile(args.candidate):
            raise BenchError(f"candidate file {args.candidate_as_given} does not exist")
    args.worker = user_path(args.worker) if args.worker else os.path.join(REPO, "harness/python/worker.py")
    if not os.path.isfile(args.worker):
        raise BenchError(f"worker {args.worker} does not exist")


def measure(args):
    tmp = tempfile.mkdtemp(prefix="bench_evaluation.")
    try:
        runs = []
        for i in range(args.repeat):
            run = one_run(args, i, tmp)
            print(f"run {i + 1} of {args.repeat}: {run['runner_wall_seconds']:.2f} s "
                  f"(worker {run['wall_seconds']:.2f} s)", file=sys.stderr, flush=True)
            runs.append(run)
            shutil.rmtree(os.path.join(tmp, f"run{i}"), ignore_errors=True)
        return runs
    finally:
        with SignalsIgnored():
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_stop_signal)
    try:
        old = load_summary(args.compare) if args.compare else None
        if args.from_json:
            data = load_summary(args.from_json)
        else:
            check_inputs(args)
            data = summary(args, measure(args))
    except BenchError as e:
        print(f"bench_evaluation: {e}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Stopped):
        print("bench_evaluation: interrupted; nothing measured is kept", file=sys.stderr)
        return 130
    print_table(data)
    if old is not None:
        print_comparison(old, data, args.compare)
    if args.json_out:
        try:
            with open(args.json_out, "w") as f:
                json.dump(data, f, indent=1)
                f.write("\n")
        except OSError as e:
            print(f"bench_evaluation: cannot write {args.json_out}: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
