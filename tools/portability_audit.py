#!/usr/bin/env python3
"""Compiles every Triton kernel a task's ground truth launches for a GPU this machine
need not have (AMD MI300X/MI325X = gfx942, MI355X = gfx950, NVIDIA H100 = sm_90), and
checks each against that GPU's limits, without running anything on a GPU.

    $TB_PYTHON tools/portability_audit.py --target=gfx942 suites/rocm suites/tritonbench_revised
    $TB_PYTHON tools/portability_audit.py --target=gfx942 --json=audit.json suites/rocm/gemm

The entry point runs on the CPU with the task's own inputs (every correctness case, and
each performance case whose inputs fit --perf_budget_gb), with torch describing the target
(torch.version.hip, get_device_capability and get_device_properties answer as a ROCm or
CUDA build on that GPU would, so a kernel's vendor branches pick that GPU's tiles) and
Triton's active driver replaced by one for the target. Each launch is compiled by the
installed Triton down to LLVM IR for the target instead of being run (outputs stay
uninitialised, so an entry point whose control flow reads kernel outputs may stop
early: that is reported). A launch fails the audit when Triton cannot compile it, when
its shared memory (LDS on AMD) exceeds the GPU's, or when its threads (num_warps x
warp size) exceed 1024. Prints one line per task: OK, FAIL (with each failing launch)
or INCOMPLETE. Exit status 1 when any task fails.

Each task's sources are also scanned for constructs whose meaning differs between
vendors (fp8 formats, tensor descriptors, capability checks, vendor branches, ...).
--markdown=FILE writes both, one table row per task (suites/README.md's audit table);
--from_json=FILE renders that table from an earlier run's --json without compiling.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import types

# What a ROCm or CUDA build of torch reports on each GPU. max_shared: bytes of shared
# memory (LDS) one program may use; Triton refuses a kernel that needs more.
TARGETS = {
    "gfx942": {"backend": "hip", "arch": "gfx942", "warp_size": 64, "max_shared": 65536,
               "name": "AMD Instinct MI300X", "capability": (9, 4), "sms": 304,
               "gcn_arch": "gfx942:sramecc+:xnack-", "l2": 4 << 20, "memory": 192 << 30},
    "gfx950": {"backend": "hip", "arch": "gfx950", "warp_size": 64, "max_shared": 163840,
               "name": "AMD Instinct MI355X", "capability": (9, 5), "sms": 256,
               "gcn_arch": "gfx950:sramecc+:xnack-", "l2": 4 << 20, "memory": 288 << 30},
    "sm_90": {"backend": "cuda", "arch": 90, "warp_size": 32, "max_shared": 232448,
              "name": "NVIDIA H100 80GB HBM3", "capability": (9, 0), "sms": 132,
              "gcn_arch": "", "l2": 50 << 20, "memory": 80 << 30},
}
MAX_THREADS = 1024


# --- task.textproto: the subset of the text format the task specs use ---------------

_TOKEN = re.compile(r'\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|[{}\[\]:,;<>]|[^\s{}\[\]:,;<>"#]+')


def parse_textproto(text):
    """Nested dicts of lists: {field: [value, ...]}, a message field's values dicts."""
    tokens = [t for t in _TOKEN.findall(text) if t.strip() and not t.startswith("#")]
    pos = 0

    def scalar(tok):
        if tok.startswith('"'):
            return bytes(tok[1:-1], "utf-8").decode("unicode_escape")
        for kind in (int, float):
            try:
                return kind(tok)
            except ValueError:
                pass
        return tok

    def message(end):
        nonlocal pos
        out = {}
        while pos < len(tokens) and tokens[pos] != end:
            name = tokens[pos]
            pos += 1
            if tokens[pos] == ":":
                pos += 1
            if tokens[pos] in ("{", "<"):
                close = "}" if tokens[pos] == "{" else ">"
                pos += 1
                value = [message(close)]
                pos += 1
            elif tokens[pos] == "[":
                pos += 1
                value = []
                while tokens[pos] != "]":
                    if tokens[pos] != ",":
                        value.append(scalar(tokens[pos]))
                    pos += 1
                pos += 1
            else:
                value = scalar(tokens[pos])
                pos += 1
                while pos < len(tokens) and tokens[pos].startswith('"') and isinstance(value, str):
                    value += scalar(tokens[pos])  # adjacent strings concatenate
                    pos += 1
                value = [value]
            out.setdefault(name, []).extend(value)
            if pos < len(tokens) and tokens[pos] in (",", ";"):
                pos += 1
        return out

    return message(None)


def _map(entries):
    return {e["key"][0]: e["value"][0] for e in entries}


def load_spec(task_dir):
    with open(os.path.join(task_dir, "task.textproto")) as f:
        spec = parse_textproto(f.read())
    cases = []
    for kind in ("correctness_cases", "performance_cases"):
        for c in spec.get(kind, []):
            cases.append({"kind": kind.split("_")[0], "name": c.get("name", [""])[0],
                          "dims": _map(c.get("dims", [])), "params": _map(c.get("params", [])),
                          "dtype": c.get("dtype", [""])[0], "seed": (c.get("seeds") or [0])[0]})
    return {"id": spec["id"][0], "entry_point": spec["entry_point"][0],
            "required_features": spec.get("required_features", []), "cases": cases}


# --- one task, in its own process -------------------------------------------------

def _pretend_target(t):
    """Makes torch and Triton answer as on target `t`, and turns each launch into a
    compile for it. Returns the list that collects one dict per compiled launch."""
    os.environ.pop("TRITON_INTERPRET", None)
    import torch
    from triton.backends.compiler import GPUTarget
    from triton.runtime import driver
    from triton.runtime.jit import JITFunction
    from triton.compiler.compiler import make_backend
    from triton._C.libtriton import ir

    torch.version.hip = "6.4.43484" if t["backend"] == "hip" else None
    major, minor = t["capability"]
    props = types.SimpleNamespace(
        name=t["name"], major=major, minor=minor, multi_processor_count=t["sms"],
        total_memory=t["memory"], L2_cache_size=t["l2"], gcnArchName=t["gcn_arch"],
        warp_size=t["warp_size"], max_threads_per_multi_processor=2048,
        shared_memory_per_block_optin=t["max_shared"], regs_per_multiprocessor=65536)
    torch.cuda.get_device_capability = lambda *a, **k: (major, minor)
    torch.cuda.get_device_properties = lambda *a, **k: props
    torch.cuda.get_device_name = lambda *a, **k: t["name"]
    torch.cuda.current_device = lambda: 0
    torch.cuda.device_count = lambda: 1
    target = GPUTarget(t["backend"], t["arch"], t["warp_size"])

    class Driver:
        def get_current_device(self):
            return 0

        def get_current_stream(self, device=None):
            return 0

        def get_current_target(self):
            return target

        def get_active_torch_device(self):
            return torch.device("cpu")

        def get_benchmarker(self):
            # The autotuner "times" each config by compiling it: every config is audited.
            def bench(fn, quantiles=None, **kwargs):
                fn()
                return [1.0, 1.0, 1.0] if quantiles else 1.0
            return bench

    driver.set_active(Driver())
    launches, seen = [], {}

    def do_compile(self, key, signature, device, constexprs, options, attrs, warmup):
        name = self.fn.__qualname__
        entry = {"kernel": name, "num_warps": options.num_warps, "num_stages": options.num_stages,
                 "threads": options.num_warps * t["warp_size"]}
        cache_key = (name, str(key))
        if cache_key in seen:
            seen[cache_key]["launches"] += 1
            return None
        seen[cache_key] = entry
        entry["launches"] = 1
        backend = make_backend(target)
        src = self.ASTSource(self, signature, constexprs, attrs)
        try:
            context = ir.context()
            ir.load_dialects(context)
            backend.load_dialects(context)
            module = src.make_ir(target, options, backend.get_codegen_implementation(options),
                                 backend.get_module_map(), context)
            stages = {}
            backend.add_stages(stages, options, src.language)
            metadata = {"target": target, **options.__dict__}
            for ext in ("ttir", "ttgir", "llir"):
                module = stages[ext](module, metadata)
            entry["shared"] = int(metadata.get("shared", 0))
        except Exception as e:  # noqa: BLE001 - Triton's compile errors have many types
            entry["error"] = f"does not compile: {type(e).__name__}: {_first_line(e)}"
        else:
            if entry["shared"] > t["max_shared"]:
                entry["error"] = (f"needs {entry['shared']} bytes of shared memory (LDS); "
                                  f"{t['name']} has {t['max_shared']}")
            elif entry["threads"] > MAX_THREADS:
                entry["error"] = (f"num_warps={options.num_warps} is {entry['threads']} threads at warp size "
                                  f"{t['warp_size']}; at most {MAX_THREADS}")
        launches.append(entry)
        return None  # no launch: run() returns before touching the (CPU) tensors

    JITFunction._do_compile = do_compile
    return launches


def _first_line(e):
    lines = [ln for ln in str(e).splitlines() if ln.strip()]
    # Triton's CompilationError puts the offending source first and the reason last.
    return (lines[-1] if lines else "").strip()[:300]


def audit_one(task_dir, target_name, perf_budget_gb):
    import importlib.util
    t = TARGETS[target_name]
    launches = _pretend_target(t)
    import torch

    spec = load_spec(task_dir)
    report = {"task": spec["id"], "dir": task_dir, "target": target_name,
              "required_features": spec["required_features"], "cases": []}

    def load(name):
        s = importlib.util.spec_from_file_location(f"audit_{name}", os.path.join(task_dir, f"{name}.py"))
        m = importlib.util.module_from_spec(s)
        sys.modules[s.name] = m
        s.loader.exec_module(m)
        return m

    try:
        reference, kernel = load("reference"), load("kernel")
        entry = getattr(kernel, spec["entry_point"])
    except Exception as e:  # noqa: BLE001
        report["error"] = f"import: {type(e).__name__}: {_first_line(e)}"
        return report
    for case in spec["cases"]:
        view = types.SimpleNamespace(name=case["name"], dims={k: int(v) for k, v in case["dims"].items()},
                                     params={k: float(v) for k, v in case["params"].items()},
                                     dtype=getattr(torch, case["dtype"]) if case["dtype"] else None)
        if case["kind"] == "performance":
            # Sized on fake tensors; where make_inputs reads values back, bounded by the
            # product of all dims (four bytes each), which overstates most tasks.
            nbytes = _input_bytes(reference, view, case["seed"])
            if nbytes is None:
                nbytes = 4 * math.prod(max(1, d) for d in view.dims.values())
            if nbytes > perf_budget_gb * 2**30:
                report["cases"].append({"case": case["name"], "skipped": "inputs too large to draw here"})
                continue
        before = len(launches)
        row = {"case": case["name"]}
        try:
            args = reference.make_inputs(view, torch.Generator().manual_seed(int(case["seed"])))
            entry(*args)
        except Exception as e:  # noqa: BLE001 - outputs are uninitialised: any later step may fail
            row["stopped"] = f"{type(e).__name__}: {_first_line(e)}"
        row["launches"] = launches[before:]
        report["cases"].append(row)
    return report


def _input_bytes(reference, view, seed):
    """Bytes of a case's inputs, from make_inputs() run on fake tensors (no storage);
    None where make_inputs needs real values (it reads one back)."""
    import torch
    from torch._subclasses.fake_tensor import FakeTensorMode

    try:
        with FakeTensorMode():
            args = reference.make_inputs(view, torch.Generator().manual_seed(int(seed)))
            return sum(a.untyped_storage().nbytes() for a in args if isinstance(a, torch.Tensor))
    except Exception:  # noqa: BLE001 - data-dependent draws cannot run on fake tensors
        return None


# --- what the sources use that differs between vendors ----------------------------

CONSTRUCTS = [
    (r"float8_e4m3fn\b", "OCP fp8 e4m3fn tensors"),
    (r"float8_e5m2\b", "OCP fp8 e5m2 tensors"),
    (r"fnuz", "FNUZ fp8"),
    (r"float8_e8m0fnu", "e8m0 scales (torch, reference side)"),
    (r"\bdot_scaled\b", "tl.dot_scaled"),
    (r"TensorDescriptor|make_tensor_descriptor", "tensor descriptors (TMA)"),
    (r"make_block_ptr", "block pointers"),
    (r"get_device_capability", "compute-capability check"),
    (r"get_device_properties", "device properties"),
    (r"torch\.version\.hip", "ROCm branch"),
    (r"\batomic_\w+", "atomics"),
    (r"libdevice", "libdevice"),
    (r"inline_asm", "inline assembly"),
    (r"triton\.autotune", "autotuned"),
]


def scan_sources(task_dir):
    """The CONSTRUCTS that kernel.py or reference.py use, in table order."""
    text = ""
    for name in ("kernel.py", "reference.py"):
        try:
            with open(os.path.join(task_dir, name)) as f:
                text += f.read()
        except OSError:
            pass
    return [label for pattern, label in CONSTRUCTS if re.search(pattern, text)]


def markdown(reports):
    """The audit table: one row per task."""
    lines = ["| suite | task | vendor-specific constructs | required features | compiled for "
             f"{reports[0]['target'] if reports else ''}: kernels, max shared memory, max num_warps | verdict |",
             "|---|---|---|---|---|---|"]
    for r in sorted(reports, key=lambda r: (r.get("dir", ""), r["task"])):
        word, reasons = verdict(r)
        launches = [x for row in r["cases"] for x in row.get("launches", [])]
        compiled = (f"{len(launches)}, {max((x.get('shared', 0) for x in launches), default=0)} B, "
                    f"{max((x['num_warps'] for x in launches), default=0)}") if launches else "-"
        suite = os.path.basename(os.path.dirname(os.path.normpath(r.get("dir", ""))))
        lines.append(f"| {suite} | {r['task']} | {', '.join(r.get('constructs', [])) or '-'} | "
                     f"{', '.join(r.get('required_features', [])) or '-'} | {compiled} | "
                     f"{word}{': ' + '; '.join(reasons) if reasons else ''} |")
    return "\n".join(lines) + "\n"


# --- the driver: one subprocess per task ------------------------------------------

def task_dirs(paths):
    out = []
    for p in paths:
        if os.path.isfile(os.path.join(p, "task.textproto")):
            out.append(p)
        else:
            out += [os.path.join(p, n) for n in sorted(os.listdir(p))
                    if os.path.isfile(os.path.join(p, n, "task.textproto"))]
    return out


def verdict(report):
    """("OK" | "FAIL" | "INCOMPLETE", [reasons])."""
    if "error" in report:
        return "INCOMPLETE", [report["error"]]
    failures, notes = [], []
    for row in report["cases"]:
        for launch in row.get("launches", []):
            if "error" in launch:
                failures.append(f"{row['case']}: {launch['kernel']}: {launch['error']}")
        if "stopped" in row and not row.get("launches"):
            notes.append(f"{row['case']}: stopped before any launch: {row['stopped']}")
    if failures:
        return "FAIL", sorted(set(failures))
    if not any(row.get("launches") for row in report["cases"]):
        return "INCOMPLETE", notes or ["no launch was reached"]
    return "OK", []


def summary(report):
    """Largest shared memory and warps over the task's launches."""
    launches = [x for row in report["cases"] for x in row.get("launches", [])]
    shared = max((x.get("shared", 0) for x in launches), default=0)
    warps = max((x["num_warps"] for x in launches), default=0)
    return f"{len(launches)} kernel variant(s), max shared {shared} B, max num_warps {warps}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="task folders or suite folders")
    parser.add_argument("--target", default="gfx942", choices=sorted(TARGETS))
    parser.add_argument("--json", help="write every report here")
    parser.add_argument("--timeout_s", type=float, default=600)
    parser.add_argument("--perf_budget_gb", type=float, default=1.5,
                        help="skip performance cases whose inputs would exceed this")
    parser.add_argument("--markdown", help="write the audit table here")
    parser.add_argument("--from_json", help="render --markdown from this earlier --json; compile nothing")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        json.dump(audit_one(args.one, args.target, args.perf_budget_gb), sys.stdout)
        return 0
    if args.from_json:
        with open(args.from_json) as f:
            reports = json.load(f)
        for r in reports:
            r["constructs"] = scan_sources(r["dir"]) if os.path.isdir(r.get("dir", "")) else []
        with open(args.markdown or "/dev/stdout", "w") as f:
            f.write(markdown(reports))
        return 0
    reports, failed = [], 0
    for d in task_dirs(args.paths):
        try:
            proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", d, "--target", args.target,
                                   "--perf_budget_gb", str(args.perf_budget_gb)],
                                  capture_output=True, text=True, timeout=args.timeout_s)
            report = json.loads(proc.stdout) if proc.returncode == 0 else \
                {"task": os.path.basename(d), "error": f"audit process failed: {proc.stderr.strip()[-300:]}"}
        except subprocess.TimeoutExpired:
            report = {"task": os.path.basename(d), "error": f"audit timed out after {args.timeout_s:.0f} s"}
        report.setdefault("cases", [])
        report.setdefault("dir", d)
        report["constructs"] = scan_sources(d)
        word, reasons = verdict(report)
        failed += word == "FAIL"
        print(f"{word:10s} {report['task']} ({args.target}): " +
              ("; ".join(reasons) if reasons else summary(report)), flush=True)
        reports.append(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(reports, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(reports))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
