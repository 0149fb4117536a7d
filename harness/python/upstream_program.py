"""A module of a task imported from GEAK-eval, run as GEAK-eval runs it: the code
(generated, or the golden file's kernel code) with the golden file's test code
appended (Program), under stand-ins for the GEAK-eval packages its tests import
(tb_eval / geak_eval: the benchmarker and performance metrics, which record what a
test hands them instead of timing it), while WriteRecorder notes which arguments the
test code's direct calls wrote. upstream_candidate.py runs a Program on each side."""

import ast
import inspect
import os
import sys
import types

import verdicts
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


class PytestBenchmarker:
    """Stands in for GEAK-eval's ROCm benchmarker: hands the kernel launch of a
    test_performance case to the harness's timer instead of timing it."""

    captured = []

    def __init__(self, op_callable, op_name="", config=None, **kwargs):
        self.op_callable, self.op_name, self.config = op_callable, op_name, config

    def run_benchmark(self, current_params_dict=None, gbps_calculator=None, tflops_calculator=None, **kwargs):
        PytestBenchmarker.captured.append((self.op_callable, dict(current_params_dict or {})))
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
    bench.PytestBenchmarker, bench.do_bench_config = PytestBenchmarker, _DoBenchConfig
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
            meta["error"] = {"stage": "import", "kind": verdicts.SYNTAX_ERROR,
                             "message": f"{path}:{e.lineno}:{e.offset or 0}: {e.msg}"}
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
            kind = verdicts.IMPORT_ERROR if stage == "import" else (
                classify_call_exception(e) if isinstance(e, Exception) else verdicts.RUNTIME_ERROR)
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
                kind = classify_call_exception(detail) if isinstance(detail, Exception) else verdicts.RUNTIME_ERROR
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
                raise EvaluationFailure(verdicts.HARNESS_ERROR, "the task has no performance file (upstream_perf.py)")
            for alias in (f"TritonBench_v1.{self.stem}", self.stem) + tuple(
                    f"{p}.data.TritonBench.data.TritonBench_G_v1.{self.stem}" for p in PACKAGES):
                _register(alias, self.module)
            import task_files

            perf = task_files.load_module(self.perf_path, f"upstream_perf_{self.name}")
            if not callable(getattr(perf, "performance_metrics", None)):
                raise EvaluationFailure(
                    verdicts.HARNESS_ERROR, f"{self.perf_path} defines no class performance_metrics")
            self.perf = perf.performance_metrics()
        return self.perf
