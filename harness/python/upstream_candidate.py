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

import candidate_process
import verdicts
import yardstick_process
from failures import EvaluationFailure, classify_call_exception
from upstream_program import Program, PytestBenchmarker, WriteRecorder

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
        import upstream_values

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
        for path, leaf in upstream_values.paths(gold):
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
        torch.save({"meta": meta, "result": upstream_values.encode(gold)}, msg["out"])
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
        PytestBenchmarker.captured = []
        outcome, detail = item.run(self.program.dir)
        captured, PytestBenchmarker.captured = PytestBenchmarker.captured, []
        if captured:
            op = captured[0][0]

            def launch():
                op()

            return launch, ""
        if isinstance(detail, BaseException):
            raise EvaluationFailure(classify_call_exception(detail) if isinstance(detail, Exception) else
                                    verdicts.RUNTIME_ERROR, f"case '{name}' raised {type(detail).__name__}: {detail}")
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
            raise EvaluationFailure(verdicts.IMPORT_ERROR, f"cannot read {start['candidate']}: {e}")
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
