"""The candidate's and the yardstick's side of a task imported from GEAK-eval
(TaskSpec.upstream; the judge is upstream_judge.py).

GEAK-eval runs a generated module with the golden file's test code appended. Here that
module is run in the candidate process (CandidateSession: confined by sandbox.py, as for
any candidate), and the golden file's own kernel code with the same test code in the
yardstick's process (GoldenSession), which never imports the candidate. Each writes the
`result_gold` its run left, with what the harness saw of the run, to a file the judge
reads: the Triton launches and which outputs came from Triton (launch_guard.py), the
process-wide switches and harness functions the run changed, and which arguments the
test code's direct calls wrote (WriteRecorder). The judge compares the two sides
(golden-calibrated: only what the candidate does and the golden does not counts).

For timing, each side prepares one performance input at a time as a function of the
input's tensors (TritonBench-revised: the performance file's call_op, on inputs the
golden side draws with its get_input_tensors and to_cuda; ROCm: the kernel launch a
test_performance case hands its benchmarker, on the inputs the case made), and then
serves the ops of candidate_process.py and yardstick_process.py that perf_case.py
uses.

    {"op": "start", "upstream": {"kind": ..., "file": ...}, "candidate" | "code": path,
     "tests": path, "perf": path or "", "device": ..., "dir": ..., "triton_cache_dir": ...}
    {"op": "run", "out": path}                       the module with the tests; result_gold
    {"op": "perf_cases"}                             {"cases": [names]}
    {"op": "perf_input", "index": i, "out": path}    golden, TritonBench-revised: one draw
    {"op": "expected", "inputs": path, "structure": s, "out": path}   golden: outputs on a draw
    {"op": "prepare", "case": name, "structure": s, "read_only": [...], "exempt": {...}}
"""

import ast
import inspect
import os
import sys
import types

import candidate_process
import yardstick_process
from failures import EvaluationFailure, classify_call_exception

# Tests GEAK-eval deselects when it checks correctness (pytest -k), and the one whose
# work (marking _CALL_SUCCESS_ when no test did, saving result_gold) is done here.
PERF_TEST_MARKERS = ("test_performance", "test_save_performance_results")
SAVE_TEST = "test_save_results"
PACKAGES = ("tb_eval", "geak_eval")


def _register(name, module):
    """Puts `module` in sys.modules as `name`, with empty parent packages as needed."""
    parts = name.split(".")
    for i in range(1, len(parts)):
        parent = ".".join(parts[:i])
        if parent not in sys.modules or not hasattr(sys.modules[parent], "__path__"):
            package = types.ModuleType(parent)
            package.__path__ = []
            sys.modules[parent] = package
        setattr(sys.modules[parent], parts[i], module if i == len(parts) - 1 else sys.modules.get(".".join(parts[:i + 1])))
    sys.modules[name] = module


class _DoBenchConfig:
    def __init__(self, warm_up=25, repetition=100, grad_to_none=None, quantiles=None, return_mode="median"):
        self.warm_up, self.repetition, self.grad_to_none = warm_up, repetition, grad_to_none
        self.quantiles, self.return_mode = quantiles or [0.5, 0.8, 0.2], return_mode


class _PytestBenchmarker:
    """Stands in for GEAK-eval's ROCm benchmarker: hands the kernel launch of a
    test_performance case to the harness's timer instead of timing it."""

    captured = []

    def __init__(self, op_callable, op_name="", config=None, **kwargs):
        self.op_callable, self.op_name, self.config = op_callable, op_name, config

    def run_benchmark(self, current_params_dict=None, gbps_calculator=None, tflops_calculator=None, **kwargs):
        _PytestBenchmarker.captured.append((self.op_callable, dict(current_params_dict or {})))
        return {"params": dict(current_params_dict or {}), "ms": 0.0, "GB/s": 0.0, "TFLOPS": 0.0}


class _PerformanceMetrics:
    """Stands in for GEAK-eval's TritonBench-revised Performance_Metrics base class: its
    subclasses' get_input_tensors, to_cuda and call_op are what the harness uses."""

    def __init__(self, op_name, dtype=None, is_backward=False, **kwargs):
        self.op_name = op_name + ("backward" if is_backward else "")
        self.dtype, self.kwargs = dtype, kwargs
        self.input_tensors = []
        self.do_bench_config = _DoBenchConfig()

    def get_do_bench_config(self, warmup=None, rep=None):
        self.do_bench_config = _DoBenchConfig(warmup or 25, rep or 100)


def _install_shims():
    """What the upstream test and performance code import from GEAK-eval and pytest."""
    import upstream_pytest

    bench = types.ModuleType("performance_utils_pytest")
    bench.PytestBenchmarker, bench.do_bench_config = _PytestBenchmarker, _DoBenchConfig
    bench.save_all_benchmark_results = lambda output_dir: None
    bench.add_benchmark_result = lambda op_name, result: None
    bench.PYTEST_BENCHMARK_RESULTS = {}
    metrics = types.ModuleType("performance_utils")
    metrics.Performance_Metrics, metrics.do_bench_config = _PerformanceMetrics, _DoBenchConfig
    for package in PACKAGES:
        _register(f"{package}.perf.ROCm.performance_utils_pytest", bench)
        _register(f"{package}.perf.performance_utils", metrics)
    _register("performance_utils", metrics)
    _register("pytest", upstream_pytest.module())


def _tensor_arguments(args, kwargs):
    import torch

    labelled = [(f"argument {i}", a) for i, a in enumerate(args)] + [(f"argument '{k}'", v) for k, v in kwargs.items()]
    return [(label, a) for label, a in labelled if isinstance(a, torch.Tensor)]


class WriteRecorder:
    """Which arguments the test code's own calls write: calls of the module's Python
    functions, and kernel launches, made directly by the test code (not by the module's
    code). {"function add_wrapper": ["argument 0"], "kernel add_kernel": ["argument 2"]}."""

    def __init__(self):
        self.records = {}
        self.active = False
        self.path = ""
        self.first_test_line = 0
        import triton

        self.skip_dirs = (os.path.dirname(triton.__file__), os.path.dirname(os.path.abspath(__file__)))

    def _from_tests(self, frame):
        while frame is not None and frame.f_code.co_filename.startswith(self.skip_dirs):
            frame = frame.f_back
        return (frame is not None and frame.f_code.co_filename == self.path
                and frame.f_lineno >= self.first_test_line)

    def _watched(self, key, fn, args, kwargs):
        import compare

        watched = _tensor_arguments(args, kwargs)
        before = compare.snapshot([t for _, t in watched])
        result = fn()
        changed = compare.mutated_inputs([t for _, t in watched], before, set())
        if changed:
            self.records.setdefault(key, set()).update(watched[i][0] for i in changed)
        else:
            self.records.setdefault(key, set())
        return result

    def install(self):
        """Wraps Triton's launch paths (after launch_guard's)."""
        from triton.runtime import jit

        classes = [jit.JITFunction]
        try:
            from triton.runtime import interpreter

            classes.append(interpreter.InterpretedFunction)
        except ImportError:
            pass
        recorder = self
        for cls in classes:
            original = cls.run

            def run(self, *args, grid=None, warmup=False, _original=original, **kwargs):
                call = lambda: _original(self, *args, grid=grid, warmup=warmup, **kwargs)  # noqa: E731
                if warmup or not recorder.active or not recorder._from_tests(sys._getframe(1)):
                    return call()
                name = getattr(getattr(self, "fn", None), "__name__", None) or getattr(self, "__name__", "kernel")
                return recorder._watched(f"kernel {name}", call, args, kwargs)

            run.__wrapped__ = original
            cls.run = run

    def wrap_functions(self, namespace, module_name):
        """Replaces the module's own Python functions in its namespace by watchers."""
        import functools

        recorder = self
        for name, fn in list(namespace.items()):
            if not inspect.isfunction(fn) or fn.__module__ != module_name or name.startswith("__"):
                continue

            @functools.wraps(fn)
            def watcher(*args, _fn=fn, _key=f"function {name}", **kwargs):
                call = lambda: _fn(*args, **kwargs)  # noqa: E731
                if not recorder.active or not recorder._from_tests(sys._getframe(1)):
                    return call()
                return recorder._watched(_key, call, args, kwargs)

            namespace[name] = watcher

    def snapshot(self):
        return {key: sorted(labels) for key, labels in self.records.items()}


class Program:
    """The module GEAK-eval runs: `code` (the candidate's, or the golden kernel code),
    the separator line, the test code. Its namespace stays for the performance ops."""

    def __init__(self, start, code, recorder):
        self.kind = start["upstream"]["kind"]
        self.stem = os.path.splitext(start["upstream"]["file"])[0]
        self.name = "upstream_" + "".join(c if c.isalnum() else "_" for c in self.stem)
        self.dir = start["dir"]
        self.code = code
        with open(start["tests"], encoding="utf-8") as f:
            self.tests = f.read()
        self.perf_path = start.get("perf", "")
        self.recorder = recorder
        self.namespace = None
        self.module = None
        self.items = None
        self.perf = None

    def run(self, meta, check_rules):
        """Writes, imports and runs the module with its tests; fills meta["error"] (the
        first exception, with the stage it came in) and meta["tests"] (ROCm)."""
        import upstream_rules

        text, first_test_line = upstream_rules.combined_source(self.code, self.tests)
        path = os.path.join(self.dir, self.stem + ".py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.recorder.path, self.recorder.first_test_line = path, first_test_line
        try:
            tree = ast.parse(text, path)
        except SyntaxError as e:
            meta["error"] = {"stage": "import", "kind": "SYNTAX_ERROR", "message": f"{path}:{e.lineno}:{e.offset or 0}: {e.msg}"}
            return
        module = types.ModuleType(self.name)
        module.__file__ = path
        sys.modules[self.name] = module
        self.module, self.namespace = module, module.__dict__
        _install_shims()
        kernel = ast.Module([n for n in tree.body if n.lineno < first_test_line], [])
        tests = ast.Module([n for n in tree.body if n.lineno >= first_test_line], [])
        if not self._exec(kernel, path, meta, "import"):
            return
        if check_rules:
            import compiler_rules

            try:
                compiler_rules.check_module(module, path)
            except EvaluationFailure as f:
                meta["error"] = {"stage": "import", "kind": f.kind, "message": f.message}
                return
        self.recorder.wrap_functions(self.namespace, self.name)
        if not self._exec(tests, path, meta, "tests"):
            return
        if self.kind == "ROCM":
            self._run_rocm_tests(meta)

    def _exec(self, body, path, meta, stage):
        import task_files

        try:
            exec(compile(body, path, "exec"), self.namespace)  # noqa: S102 - running it is the point
            return True
        except BaseException as e:  # noqa: BLE001 - SystemExit from the module is its failure too
            if isinstance(e, KeyboardInterrupt):
                raise
            kind = "IMPORT_ERROR" if stage == "import" else (
                classify_call_exception(e) if isinstance(e, Exception) else "RUNTIME_ERROR")
            what = "importing the module" if stage == "import" else "the test code"
            meta["error"] = {"stage": stage, "kind": kind,
                             "message": f"{what} raised {type(e).__name__}: {str(e)[:2000]}\n{task_files.last_frames(e)}"}
            return False

    def rocm_items(self):
        import upstream_pytest

        if self.items is None:
            self.items = upstream_pytest.collect(self.namespace)
        return self.items

    def _run_rocm_tests(self, meta):
        """The tests GEAK-eval's correctness run selects, in order; then what its
        test_save_results adds (the call mark at 0 when no test set it)."""
        import task_files
        import torch

        import upstream_rules

        for item in self.rocm_items():
            lowered = item.name.lower()
            if any(m in lowered for m in PERF_TEST_MARKERS) or item.fn.__name__ == SAVE_TEST:
                continue
            outcome, detail = item.run(self.dir)
            if outcome == "error":
                kind = classify_call_exception(detail) if isinstance(detail, Exception) else "RUNTIME_ERROR"
                detail = (f"{kind}: {type(detail).__name__}: {str(detail)[:1500]}\n"
                          f"{task_files.last_frames(detail)}")
            meta["tests"].append([item.name, outcome, str(detail)[:2500]])
        gold = self.namespace.get("result_gold")
        if isinstance(gold, dict) and upstream_rules.CALL_MARK not in gold:
            gold[upstream_rules.CALL_MARK] = torch.tensor([[0.0]])

    def load_perf(self):
        """The performance file's metrics object, its imports of the task's module
        resolved to this program's module (TritonBench-revised)."""
        if self.perf is None:
            if not self.perf_path:
                raise EvaluationFailure("HARNESS_ERROR", "the task has no performance file (upstream_perf.py)")
            for alias in (f"TritonBench_v1.{self.stem}", self.stem) + tuple(
                    f"{p}.data.TritonBench.data.TritonBench_G_v1.{self.stem}" for p in PACKAGES):
                _register(alias, self.module)
            import task_files

            perf = task_files.load_module(self.perf_path, f"upstream_perf_{self.name}")
            if not callable(getattr(perf, "performance_metrics", None)):
                raise EvaluationFailure("HARNESS_ERROR", f"{self.perf_path} defines no class performance_metrics")
            self.perf = perf.performance_metrics()
        return self.perf


def _tree_callable(call_op, structure):
    """f(*leaves) = call_op(the input rebuilt from its leaves), returning the tensors of
    what call_op returns (one tensor, a tuple, or None)."""
    import torch
    from torch.utils import _pytree as pytree

    spec = pytree.treespec_loads(structure)

    def call(*leaves):
        ret = call_op(pytree.tree_unflatten(list(leaves), spec))
        tensors = [t for t in pytree.tree_leaves(ret) if isinstance(t, torch.Tensor)]
        return tensors[0] if len(tensors) == 1 else tuple(tensors) if tensors else None

    return call


class _Upstream:
    """The ops both sides share; the session classes supply the process's setup."""

    def _start_program(self, start, code, check_rules):
        import upstream_rules

        upstream_rules.set_seed()
        self.recorder = WriteRecorder()
        self.recorder.install()
        self.program = Program(start, code, self.recorder)
        self.check_rules = check_rules
        self._drawn = False  # TritonBench-revised: get_input_tensors() made the inputs

    def run(self, msg):
        import process_state
        import torch

        import launch_guard
        import upstream_rules

        meta = {"error": None, "tests": [], "launches": 0, "provenance": {}, "flipped": [], "replaced": [],
                "writes": {}}
        upstream_rules.set_seed()
        self.switches = process_state.snapshot()
        self.recorder.active = True
        try:
            _, meta["launches"] = self.guard.call(lambda: self.program.run(meta, self.check_rules), [], [], track=True)
        finally:
            self.recorder.active = False
        gold = self.program.namespace.get("result_gold") if self.program.namespace is not None else None
        for path, leaf in upstream_rules.paths(gold):
            if path == f"result_gold[{upstream_rules.CALL_MARK!r}]":
                continue  # the ROCm tests' bookkeeping, never a kernel's output
            if isinstance(leaf, torch.Tensor) and leaf.numel():
                if self.guard.laundered(leaf):
                    meta["provenance"][path] = "laundered by " + self.guard.laundered(leaf)
                elif not self.guard.from_triton(leaf):
                    meta["provenance"][path] = "not_from_triton"
        meta["flipped"] = process_state.changed(self.switches)
        meta["replaced"] = self.bindings.changed()
        meta["writes"] = self.recorder.snapshot()
        torch.save({"meta": meta, "result": upstream_rules.encode(gold)}, msg["out"])
        # Later ops are held to the state the run left (the judge weighs the run's changes).
        self.switches = process_state.snapshot()
        self.bindings = launch_guard.Bindings()
        return {"error": meta["error"]}

    def perf_cases(self, msg):
        if self.program.kind == "ROCM":
            return {"cases": [i.name for i in self.program.rocm_items() if "test_performance" in i.name.lower()
                              and i.fn.__name__ != "test_save_performance_results"]}
        if not self.program.perf_path:
            return {"cases": []}
        return {"cases": [f"input {i}" for i in range(len(self._perf_inputs()))]}

    def _perf_inputs(self):
        import upstream_rules

        perf = self.program.load_perf()
        if not self._drawn:
            upstream_rules.set_seed()
            perf.get_input_tensors()
            self._drawn = True
        return perf.input_tensors

    def _rocm_callable(self, name):
        """The kernel launch test_performance case `name` hands its benchmarker, as a
        function of no arguments; (None, why) when the case does not get there."""
        item = next((i for i in self.program.rocm_items() if i.name == name), None)
        if item is None:
            return None, f"no test_performance case '{name}'"
        _PytestBenchmarker.captured = []
        outcome, detail = item.run(self.program.dir)
        captured, _PytestBenchmarker.captured = _PytestBenchmarker.captured, []
        if captured:
            op = captured[0][0]

            def launch():
                op()

            return launch, ""
        if isinstance(detail, BaseException):
            raise EvaluationFailure(classify_call_exception(detail) if isinstance(detail, Exception) else
                                    "RUNTIME_ERROR", f"case '{name}' raised {type(detail).__name__}: {detail}")
        return None, f"{outcome}: {detail}" if detail else outcome

    def prepare(self, msg):
        """Makes performance case msg["case"] the function the timing ops call."""
        self.read_only = [int(i) for i in msg.get("read_only", [])]
        self.exempt = dict(msg.get("exempt", {}))
        if self.program.kind == "ROCM":
            fn, why = self._rocm_callable(msg["case"])
            if fn is None:
                return {"skipped": why}
        else:
            fn = _tree_callable(self.program.load_perf().call_op, msg["structure"])
        self._use(fn)
        return {}


class CandidateSession(_Upstream, candidate_process.Session):
    """The candidate process's session for an upstream task."""

    OPS = ("run", "prepare", "read", "call", "stage", "warmup", "round", "sanity", "collect", "write", "profile")

    def __init__(self, start):
        import torch

        import launch_guard
        import process_state
        import sandbox
        import upstream_rules

        self.device = start["device"]
        self.dev = "cuda" if self.device == "gpu" else "cpu"
        self.read_only = []
        self.exempt = {}
        writable = [start["dir"]] + ([start["triton_cache_dir"]] if start.get("triton_cache_dir") else [])
        self.isolation = sandbox.isolate_candidate(writable=writable)
        import triton  # noqa: F401 - after TRITON_INTERPRET is settled

        self.guard = launch_guard.LaunchGuard()
        self.guard.install()
        try:
            with open(start["candidate"], encoding="utf-8") as f:
                code = upstream_rules.strip_tests(f.read())
        except (OSError, UnicodeDecodeError) as e:
            raise EvaluationFailure("IMPORT_ERROR", f"cannot read {start['candidate']}: {e}")
        self._start_program(start, code, check_rules=self.device == "cpu")
        self.bindings = launch_guard.Bindings()
        self.switches = process_state.snapshot()
        self.torch = torch
        self.host_inputs = self.host_draws = self.host_outputs = None
        self.timed = None
        self.fn = None

    def _use(self, fn):
        self.fn = fn

    def call(self, msg):
        """candidate_process.Session.call, less what the golden kernel's own call at
        this input did too (the judge says: `exempt`)."""
        reply = super().call(msg)
        if self.exempt.get("alias"):
            reply["alias"] = None
        for key in ("not_from_triton", "laundered"):
            reply[key] = [i for i in reply[key] if i not in self.exempt.get(key, [])]
        return reply


class GoldenSession(_Upstream, yardstick_process.Session):
    """The yardstick process's session for an upstream task: the golden kernel code
    with the test code, trusted, never beside the candidate's."""

    OPS = ("run", "perf_cases", "perf_input", "expected", "prepare", "read", "stage", "warmup", "round", "sanity",
           "collect", "write")

    def __init__(self, start):
        import torch

        import launch_guard
        import process_state

        self.torch = torch
        self.device = start["device"]
        self.dir = start["dir"]
        self.trusted_cache = start.get("triton_cache_dir", "")
        self.read_only = []
        self.exempt = {}
        import triton  # noqa: F401 - after TRITON_INTERPRET is settled

        self.guard = launch_guard.LaunchGuard()
        self.guard.install()
        with open(start["code"], encoding="utf-8") as f:
            code = f.read()
        self._start_program(start, code, check_rules=False)
        self.bindings = launch_guard.Bindings()
        self.switches = process_state.snapshot()
        self.fns, self.baselines, self.baselines_timed_out, self.keep = {}, {}, {}, []
        self.host_draws = self.host_outputs = None
        self.timed = None

    def _use(self, fn):
        self.fns = {"ground_truth": fn}

    def prepare(self, msg):
        """_Upstream.prepare; a case the golden code cannot run here is left out."""
        try:
            return super().prepare(msg)
        except EvaluationFailure as f:
            return {"skipped": f"the golden code raised: {f.kind}: {f.message}"[:2000]}

    def perf_input(self, msg):
        """Writes performance input msg["index"] after to_cuda, as a list of its leaves
        on the host, and returns its structure; {"skipped": why} where it cannot be."""
        import torch
        from torch.utils import _pytree as pytree

        perf = self.program.load_perf()
        inputs = self._perf_inputs()
        try:
            leaves, spec = pytree.tree_flatten(perf.to_cuda(inputs[int(msg["index"])]))
            structure = pytree.treespec_dumps(spec)
        except Exception as e:  # noqa: BLE001 - the golden side's failure: the input is left out
            return {"skipped": f"to_cuda or its structure failed: {type(e).__name__}: {str(e)[:300]}"}
        torch.save([t.detach().cpu() if isinstance(t, torch.Tensor) else t for t in leaves], msg["out"])
        del leaves
        return {"structure": structure}

    def expected(self, msg):
        """The golden call at one draw: its outputs and arguments afterwards to
        msg["out"]; the evidence the candidate's call is weighed against."""
        import layout
        import timed_calls

        torch = self.torch
        fn = _tree_callable(self.program.load_perf().call_op, msg["structure"])
        dev = "cuda" if self.device == "gpu" else "cpu"
        args = layout.device_copies(torch.load(msg["inputs"], weights_only=True), dev)
        try:
            ret, launches = self.guard.call(fn, args, [], track=True)
            self._synchronize()
            outputs = timed_calls.as_outputs(ret)
        except Exception as e:  # noqa: BLE001 - the golden call fails here: the input is left out
            return {"skipped": f"the golden call raised {type(e).__name__}: {str(e)[:300]}"}
        torch.save({"outputs": [o.detach().cpu().clone() for o in outputs],
                    "args": [a.detach().cpu().clone() if isinstance(a, torch.Tensor) else None for a in args]},
                   msg["out"])
        tensors = {"outputs": list(enumerate(outputs)),
                   "args": [(k, a) for k, a in enumerate(args) if isinstance(a, torch.Tensor)]}
        return {"launches": launches,
                "alias_args": [k for k, a in tensors["args"] if a.numel() and any(
                    o.numel() and o.untyped_storage().data_ptr() == a.untyped_storage().data_ptr() for o in outputs)],
                "not_from_triton": {side: [i for i, t in items if t.numel() and not self.guard.from_triton(t)]
                                    for side, items in tensors.items()},
                "laundered": {side: [i for i, t in items if t.numel() and self.guard.laundered(t)]
                              for side, items in tensors.items()}}
