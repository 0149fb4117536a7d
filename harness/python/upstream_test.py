"""Tests of the upstream judge (tasks imported from GEAK-eval) on the CPU: GEAK-eval's
rules as upstream_rules.py states them, the pytest stand-in, both verdicts end to end
on the fixtures tools/import_upstream imported (harness/testdata/upstream), and the
timing of the performance inputs (perf_case on the host clock).

    $TB_PYTHON harness/python/upstream_test.py IMPORTED_DIR
"""

import collections
import glob
import os
import re
import shutil
import sys
import tempfile
import unittest

os.environ["TRITON_INTERPRET"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

# Forked children use torch after this process has (see checks_test.py).
torch.set_num_threads(1)

import failures  # noqa: E402
import sandbox  # noqa: E402
import upstream_pytest  # noqa: E402
import upstream_rules  # noqa: E402
import upstream_values  # noqa: E402
import worker  # noqa: E402
from failures import EvaluationFailure  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CANDIDATES = os.path.join(REPO, "harness/testdata/upstream/candidates")
IMPORTED = ""  # set from the command line


def decoded(value):
    return upstream_values.Decoded(upstream_values.encode(value))


class StripTestsTest(unittest.TestCase):
    def test_test_functions_and_their_calls_go_the_rest_stays(self):
        code = ("```python\nimport torch\n\ndef helper(x):\n    return x\n\ndef test_helper():\n    raise Exception\n\n"
                "test_helper()\nresult = test_helper()\nvalue = helper(2)\n<|im_end|>")
        out = upstream_rules.strip_tests("Some prose first. " + code)
        self.assertIn("def helper(x):", out)
        self.assertIn("value = helper(2)", out)
        self.assertNotIn("test_helper", out)
        self.assertNotIn("```", out)
        self.assertNotIn("im_end", out)
        # GEAK-eval keeps what follows the last opening fence, a closing fence included:
        # that does not parse, so nothing is stripped.
        self.assertIn("test_helper()", upstream_rules.strip_tests(code + "\n```"))

    def test_code_that_does_not_parse_is_left_as_it_is(self):
        self.assertEqual(upstream_rules.strip_tests("def f(:\n  test_x()\n"), "def f(:\n  test_x()\n")

    def test_combined_source_puts_the_separator_line_between(self):
        text, first = upstream_rules.combined_source("a = 1\n", "b = a\n")
        lines = text.split("\n")
        self.assertEqual(lines[2], "#" * 146)
        self.assertEqual(lines[first - 1], "b = a")


class TbgRulesTest(unittest.TestCase):
    def verdict(self, golden, candidate, atol=1e-2, rtol=1e-1):
        return upstream_rules.tbg_verdict(decoded(golden), decoded(candidate), atol, rtol)

    def test_inside_a_dict_the_tolerance_is_compare_s_default(self):
        ref = torch.ones(8)
        # 5e-3 off: within 1e-2 at the top level, outside the 1e-3/1e-3 a dict's values get.
        self.assertTrue(self.verdict(ref, ref + 5e-3)[0])
        ok, why = self.verdict({"a": ref}, {"a": ref + 5e-3})
        self.assertFalse(ok)
        self.assertIn("result_gold.values()[0]", why)
        self.assertTrue(self.verdict({"a": ref}, {"a": ref + 5e-4})[0])

    def test_allclose_broadcasts_and_zip_truncates(self):
        ref = torch.arange(4.0)
        self.assertTrue(self.verdict({"a": ref}, {"a": ref.view(1, 4)})[0])
        self.assertTrue(self.verdict([ref, ref], [ref])[0])

    def test_a_dtype_mismatch_makes_the_comparison_raise(self):
        ok, why = self.verdict({"a": torch.ones(3)}, {"a": torch.ones(3, dtype=torch.float64)})
        self.assertFalse(ok)
        self.assertIn("raises RuntimeError", why)

    def test_nan_and_types(self):
        self.assertFalse(self.verdict({"a": torch.tensor([float("nan")])}, {"a": torch.tensor([float("nan")])})[0])
        self.assertFalse(self.verdict(None, None)[0])
        ok, why = self.verdict({"a": 1}, [1])
        self.assertFalse(ok)
        self.assertIn("is a list", why)
        self.assertTrue(self.verdict({"n": 3, "s": "x"}, {"n": 3, "s": "x"})[0])
        self.assertFalse(self.verdict({"n": 3}, {"n": 4})[0])

    def test_a_verdict_that_is_a_tensor_is_not_the_text_true(self):
        # A scalar compared with a tensor leaves a tensor as the value; its text is
        # "tensor(True)", which GEAK-eval does not read as True.
        ok, _ = self.verdict([torch.tensor(2.0)], [2.0])
        self.assertFalse(ok)

    def test_tensors_on_different_devices_make_it_raise(self):
        golden = upstream_values.Decoded({"t": "tensor", "device": "cuda", "v": torch.ones(2)})
        candidate = upstream_values.Decoded({"t": "tensor", "device": "cpu", "v": torch.ones(2)})
        ok, why = upstream_rules.tbg_verdict(golden, candidate, 1e-2, 1e-1)
        self.assertFalse(ok)
        self.assertIn("same device", why)


class RocmRulesTest(unittest.TestCase):
    MARK = {"_CALL_SUCCESS_": torch.tensor([[1.0]])}

    def verdict(self, golden, candidate):
        return upstream_rules.rocm_verdict(decoded(dict(self.MARK, **golden)), decoded(dict(self.MARK, **candidate)),
                                           1e-2, 1e-2)

    def test_keys_dtypes_and_values(self):
        x = torch.randn(5)
        self.assertTrue(self.verdict({"a": x}, {"a": x + 1e-3})[0])
        ok, why = self.verdict({"a": x, "b": x}, {"a": x})
        self.assertFalse(ok)
        self.assertIn("key mismatch", why)
        ok, why = self.verdict({"a": x}, {"a": x.double()})
        self.assertFalse(ok)
        self.assertIn("value mismatch at a", why)
        self.assertFalse(self.verdict({"a": x}, {"a": x.view(1, 5)})[0])

    def test_the_call_mark(self):
        self.assertTrue(upstream_rules.rocm_call_ok(decoded(self.MARK)))
        self.assertFalse(upstream_rules.rocm_call_ok(decoded({"_CALL_SUCCESS_": torch.tensor([[0.0]])})))
        self.assertFalse(upstream_rules.rocm_call_ok(decoded({})))


class EncodingTest(unittest.TestCase):
    def test_values_come_back_as_they_were(self):
        pair = collections.namedtuple("pair", "a b")(torch.ones(2), 3)
        value = {"t": torch.arange(3), "l": [1, 2.5, None, "s", True], "tu": (torch.zeros(1),),
                 "np": np.arange(4, dtype=np.float32), "npf": np.float32(1.5), "size": torch.Size([2, 3]),
                 "max": torch.max(torch.tensor([[1.0, 3.0]]), dim=1), "pair": pair, "dtype": torch.float16, 7: "int key"}
        back = decoded(value).value
        self.assertTrue(torch.equal(back["t"], value["t"]))
        self.assertEqual(back["l"], value["l"])
        self.assertIs(type(back["tu"]), tuple)
        self.assertIs(type(back["np"]), np.ndarray)
        self.assertEqual(back["np"].dtype, np.float32)
        self.assertEqual(back["npf"], np.float32(1.5))
        self.assertIs(type(back["npf"]), np.float32)
        self.assertEqual(back["size"], torch.Size([2, 3]))
        self.assertEqual(back["max"].values.item(), 3.0)
        self.assertEqual(back["pair"].b, 3)
        self.assertEqual(type(decoded(value).value["pair"]), type(back["pair"]))  # one class per type
        self.assertEqual(back["dtype"], upstream_values.Opaque("torch.dtype", "torch.float16"))
        self.assertEqual(back[7], "int key")

    def test_devices_are_kept_beside_the_tensors(self):
        d = upstream_values.Decoded({"t": "list", "v": [{"t": "tensor", "device": "cuda", "v": torch.ones(1)}]})
        self.assertEqual(d.device(d.value[0]), "cuda")


class StrictCompareTest(unittest.TestCase):
    TOL = {"float32": (1e-2, 1e-1), "float64": (1e-2, 1e-1)}

    def compare(self, golden, candidate, skip=()):
        return upstream_rules.strict_compare(decoded(golden), decoded(candidate), self.TOL, skip)

    def failure(self, golden, candidate):
        with self.assertRaises(EvaluationFailure) as caught:
            self.compare(golden, candidate)
        return caught.exception

    def test_what_upstream_lets_through_is_named(self):
        x = torch.ones(4)
        f = self.failure({"a": x}, {"a": x.view(1, 4)})
        self.assertEqual(f.kind, "WRONG_SHAPE")
        self.assertIn("result_gold['a']", f.message)
        self.assertEqual(self.failure([x, x], [x]).kind, "WRONG_OUTPUT_STRUCTURE")
        self.assertEqual(self.failure({"a": x}, {"a": x.double()}).kind, "WRONG_DTYPE")
        nan = torch.tensor([1.0, float("nan")])
        self.assertEqual(self.compare({"a": nan}, {"a": nan.clone()})[0], 0.0)  # NaN where the golden has it
        self.assertEqual(self.failure({"a": nan}, {"a": torch.tensor([1.0, 2.0])}).kind, "WRONG_VALUES")
        self.assertEqual(self.failure({"a": 1, "b": 2}, {"a": 1, "c": 2}).kind, "WRONG_OUTPUT_STRUCTURE")
        self.assertEqual(self.failure({"n": 3}, {"n": 4}).kind, "WRONG_VALUES")
        self.assertEqual(self.failure({"i": torch.tensor([1, 2])}, {"i": torch.tensor([1, 3])}).kind, "WRONG_VALUES")

    def test_within_tolerance_passes_and_skipped_keys_are_ignored(self):
        x = torch.ones(4)
        max_abs, _, _ = self.compare({"a": x, "f": 1.0}, {"a": x + 5e-3, "f": 1.001})
        self.assertAlmostEqual(max_abs, 5e-3, places=6)
        self.compare({"m": torch.ones(1), "a": x}, {"m": torch.zeros(1), "a": x}, skip=("m",))


class PytestStandInTest(unittest.TestCase):
    def namespace(self, source):
        ns = {"pytest": upstream_pytest.module()}
        exec(source, ns)  # noqa: S102 - test code
        return ns

    def test_stacked_parametrize_is_ordered_and_named_as_pytest_does(self):
        ns = self.namespace(
            "calls = []\n"
            "@pytest.mark.parametrize('x', [0, 1])\n"
            "@pytest.mark.parametrize('y', ['a', None])\n"
            "def test_f(x, y, request):\n"
            "    calls.append(request.node.name)\n"
            "@pytest.mark.parametrize('m, n', [(1, 2.5), (3, 4.0)])\n"
            "def test_g(m, n, request, device='cuda'):\n"
            "    calls.append((request.node.name, device))\n"
            "@pytest.mark.parametrize('cfg', [{'k': 1}, {'k': 2}])\n"
            "def test_h(cfg, request):\n"
            "    calls.append(request.node.name)\n"
            "def helper():\n"
            "    pass\n")
        items = upstream_pytest.collect(ns)
        self.assertEqual([i.name for i in items], [
            "test_f[a-0]", "test_f[a-1]", "test_f[None-0]", "test_f[None-1]", "test_g[1-2.5]", "test_g[3-4.0]",
            "test_h[cfg0]", "test_h[cfg1]"])
        for item in items:
            self.assertEqual(item.run(tempfile.gettempdir()), ("passed", ""))
        self.assertEqual(ns["calls"][4], ("test_g[1-2.5]", "cuda"))

    def test_skips_failures_errors_and_fixtures(self):
        ns = self.namespace(
            "import os\n"
            "@pytest.fixture\n"
            "def env(monkeypatch):\n"
            "    monkeypatch.setenv('UPSTREAM_TEST_ENV', 'on')\n"
            "    yield 'UPSTREAM_TEST_ENV'\n"
            "def test_fixture(env):\n"
            "    assert os.environ[env] == 'on'\n"
            "@pytest.mark.skipif(True, reason='marked')\n"
            "def test_marked():\n"
            "    raise RuntimeError\n"
            "def test_skips():\n"
            "    pytest.skip('inside')\n"
            "def test_asserts():\n"
            "    assert 1 == 2, 'own check'\n"
            "def test_raises():\n"
            "    raise ValueError('boom')\n"
            "def test_unknown_fixture(nothing):\n"
            "    pass\n")
        outcomes = {i.name: i.run(tempfile.gettempdir()) for i in upstream_pytest.collect(ns)}
        self.assertEqual(outcomes["test_fixture"], ("passed", ""))
        self.assertNotIn("UPSTREAM_TEST_ENV", os.environ, "monkeypatch undone after the test")
        self.assertEqual(outcomes["test_marked"], ("skipped", "marked"))
        self.assertEqual(outcomes["test_skips"], ("skipped", "inside"))
        self.assertEqual(outcomes["test_asserts"][0], "failed")
        self.assertIn("own check", outcomes["test_asserts"][1])
        self.assertEqual(outcomes["test_raises"][0], "error")
        self.assertIsInstance(outcomes["test_raises"][1], ValueError)
        self.assertEqual(outcomes["test_unknown_fixture"][0], "error")


def spec_of(task_dir):
    """The TaskSpec fields the judge reads, from an imported task.textproto."""
    with open(os.path.join(task_dir, "task.textproto")) as f:
        text = f.read()
    up = re.search(r"upstream \{(.*?)\n\}", text, re.S).group(1)

    def field(name):
        return re.search(rf"\b{name}: ([^\n]+)", up).group(1).strip('"')

    tolerances = [{"dtype": d, "atol": float(a), "rtol": float(r)} for d, a, r in re.findall(
        r'tolerances \{\s*dtype: "(\w+)"\s*atol: ([\d.e-]+)\s*rtol: ([\d.e-]+)', text)]
    return {"id": os.path.basename(task_dir), "tolerances": tolerances,
            "upstream": {"kind": field("kind"), "file": field("file"), "atol": float(field("atol")),
                         "rtol": float(field("rtol"))}}


class Judged:
    """worker.evaluate of one candidate on an imported task, in this process's children;
    with `timed`, then upstream_judge's timing on the CPU (host clock)."""

    def __init__(self, suite, task, candidate, timed=False):
        import candidate_client
        import child_process
        import gpu_lock
        import judge_calls
        import upstream_judge
        import yardstick_process

        task_dir = os.path.join(IMPORTED, suite, task)
        candidate = candidate if os.path.isabs(candidate) else os.path.join(CANDIDATES, candidate)
        spec = spec_of(task_dir)
        child = candidate_client.CandidateProcess()
        yardstick = child_process.ChildProcess(yardstick_process.serve)
        child.spare.add(yardstick.pid)
        self.result = result = {"cases": [], "performance": [], "failure_kind": "NONE", "call_ok": False,
                                "execution_ok": False}
        self.timing_failure = None
        scratch = tempfile.mkdtemp()
        cwd = os.getcwd()
        os.chdir(scratch)
        request = {"task": spec, "task_dir": task_dir, "candidate_path": candidate,
                   "settings": {"device": "cpu", "timing_repetitions": 3}}
        try:
            try:
                worker.evaluate(request, lambda stage: None, result, child, yardstick, gpu_lock.GpuLock(""))
            except failures.EvaluationFailure as f:
                failures.record_failure(result, f.kind, f.message)
            if timed:
                # What upstream_judge.evaluate does on a GPU, on the CPU's host clock.
                result.pop("timing_unavailable_reason", None)
                result["upstream"].pop("geak_speedup_unavailable_reason", None)
                files = judge_calls.Files.__new__(judge_calls.Files)
                files.dir = glob.glob(os.path.join(scratch, "candidate-*"))[0]
                files.inputs, files.outputs = (os.path.join(files.dir, n) for n in ("inputs.pt", "outputs.pt"))
                golden_dir = glob.glob(os.path.join(scratch, "yardstick-*"))[0]
                tolerances = {t["dtype"]: (t["atol"], t["rtol"]) for t in spec["tolerances"]}
                self.timing_failure = upstream_judge._time(request, result, child, yardstick, files, golden_dir,
                                                           gpu_lock.GpuLock(""), tolerances, "cpu", lambda s: None,
                                                           None)
        finally:
            os.chdir(cwd)
            child.close()
            yardstick.quit()
            sandbox.kill_descendants(os.getpid())
            yardstick.close_pipes()
            shutil.rmtree(scratch, ignore_errors=True)

    @property
    def strict(self):
        r = self.result
        return (r["execution_ok"], r["failure_kind"] + (f"({r['check']})" if r.get("check") else ""))

    @property
    def upstream(self):
        u = self.result.get("upstream", {})
        return u.get("call_ok", False), u.get("execution_ok", False)


class VerdictsTest(unittest.TestCase):
    """Both verdicts of one run, for each fixture candidate (its first comment says which)."""

    CASES = [
        # (suite, task, candidate, strict, (upstream call, upstream exec), text in the message)
        ("geak_tbg", "scale_shift", "scale_shift_block128.py", "NONE", (True, True), ""),
        ("geak_tbg", "scale_shift", "scale_shift_torch.py", "REJECTED_BY_CHECK(no_triton_kernel)", (True, True),
         "launched no Triton kernel"),
        ("geak_tbg", "scale_shift", "scale_shift_broadcast.py", "WRONG_SHAPE", (True, True),
         "result_gold['test_case_1'] has shape (1, 100)"),
        ("geak_tbg", "scale_shift", "scale_shift_mutates.py", "INPUT_MUTATED", (True, True),
         "call of scale_shift (function) wrote argument 0"),
        ("geak_tbg", "scale_shift", "scale_shift_wrong.py", "WRONG_VALUES", (True, False), "result_gold['test_case_1']"),
        ("geak_tbg", "scale_shift", "scale_shift_syntax.py", "SYNTAX_ERROR", (False, False), "expected ':'"),
        ("geak_tbg", "scale_shift", "scale_shift_flips_tf32.py", "REJECTED_BY_CHECK(global_state)", (True, True),
         "allow_tf32: False -> True"),
        ("geak_tbg", "row_max", "row_max_plus_5e-3.py", "NONE", (True, False), ""),
        ("geak_rocm", "test_axpy", "axpy_mutates.py", "INPUT_MUTATED", (True, True),
         "call of axpy_kernel (kernel) wrote argument 0"),
        ("geak_rocm", "test_axpy", "axpy_wrong.py", "WRONG_VALUES", (True, False), "test_axpy_float32_100"),
        ("geak_rocm", "test_axpy", "axpy_compile_error.py", "COMPILE_ERROR", (False, False), "no_such_function"),
    ]

    def test_every_candidate_gets_both_verdicts(self):
        for suite, task, candidate, strict, upstream, text in self.CASES:
            with self.subTest(candidate=candidate):
                judged = Judged(suite, task, candidate)
                self.assertEqual(judged.strict, (strict == "NONE", strict), judged.result.get("message"))
                self.assertEqual(judged.upstream, upstream, judged.result.get("upstream"))
                self.assertIn(text, judged.result.get("message", ""))
                self.assertEqual(judged.result["call_ok"], strict not in ("SYNTAX_ERROR", "COMPILE_ERROR"))
                if not upstream[1]:
                    self.assertTrue(judged.result["upstream"]["message"])

    def test_every_golden_file_passes_both_as_a_candidate(self):
        for suite, task in [("geak_tbg", "scale_shift"), ("geak_tbg", "row_max"), ("geak_tbg", "inplace_relu"),
                            ("geak_rocm", "test_axpy"), ("geak_rocm", "test_row_sum")]:
            with self.subTest(task=task):
                judged = Judged(suite, task, os.path.join(IMPORTED, suite, task, "kernel.py"))
                self.assertEqual(judged.strict, (True, "NONE"), judged.result.get("message"))
                self.assertEqual(judged.upstream, (True, True), judged.result.get("upstream"))
                self.assertIn("no GPU", judged.result["timing_unavailable_reason"])

    def test_the_candidate_finds_no_golden_outputs(self):
        # It raises if it sees a .pt file outside its own folder at any time, timing included.
        judged = Judged("geak_tbg", "scale_shift", "scale_shift_looks_for_golden.py", timed=True)
        self.assertEqual(judged.strict, (True, "NONE"), judged.result.get("message"))
        self.assertEqual(judged.upstream, (True, True))
        self.assertIsNone(judged.timing_failure, judged.timing_failure and judged.timing_failure.message)
        self.assertEqual(len(judged.result["performance"]), 3)


class TimingTest(unittest.TestCase):
    def test_every_performance_input_is_timed_and_geak_speedup_is_the_ratio_of_sums(self):
        judged = Judged("geak_tbg", "scale_shift", "scale_shift_block128.py", timed=True)
        self.assertIsNone(judged.timing_failure)
        perf = judged.result["performance"]
        self.assertEqual([p["case_name"] for p in perf], ["input 0", "input 1", "input 2"])
        for p in perf:
            self.assertEqual(p["candidate"]["repetitions"], 4, "3 timed calls and one pure call")
            self.assertGreater(p["ground_truth"]["median_ms"], 0)
        golden = sum(p["ground_truth"]["median_ms"] for p in perf)
        candidate = sum(p["candidate"]["median_ms"] for p in perf)
        self.assertAlmostEqual(judged.result["upstream"]["geak_speedup"], golden / candidate)
        self.assertTrue(judged.result["timing_available"])
        self.assertGreater(judged.result["speedup"], 0)

    def test_an_in_place_api_writes_what_the_golden_writes(self):
        judged = Judged("geak_tbg", "inplace_relu", os.path.join(IMPORTED, "geak_tbg/inplace_relu/kernel.py"),
                        timed=True)
        self.assertIsNone(judged.timing_failure)
        self.assertEqual(len(judged.result["performance"]), 2)

    def test_writing_an_input_at_a_performance_input_fails_the_strict_check(self):
        judged = Judged("geak_tbg", "scale_shift", "scale_shift_mutates.py", timed=True)
        self.assertEqual(judged.result["failure_kind"], "INPUT_MUTATED")  # from the correctness run
        self.assertEqual(judged.timing_failure.kind, "INPUT_MUTATED")
        self.assertIn("perf:input 0", judged.timing_failure.message)
        self.assertFalse(judged.result.get("timing_available"))
        self.assertIn("input 0", judged.result["upstream"]["geak_speedup_unavailable_reason"])

    def test_rocm_cases_time_the_launch_each_test_performance_case_hands_over(self):
        judged = Judged("geak_rocm", "test_axpy", os.path.join(IMPORTED, "geak_rocm/test_axpy/kernel.py"),
                        timed=True)
        self.assertIsNone(judged.timing_failure)
        self.assertEqual([p["case_name"] for p in judged.result["performance"]],
                         ["test_performance[2048-float32]", "test_performance[4096-float16]"])
        self.assertIn("geak_speedup", judged.result["upstream"])

    def test_a_task_without_performance_inputs_says_so(self):
        judged = Judged("geak_rocm", "test_row_sum", os.path.join(IMPORTED, "geak_rocm/test_row_sum/kernel.py"),
                        timed=True)
        self.assertFalse(judged.result.get("timing_available"))
        self.assertIn("no performance input", judged.result["upstream"]["geak_speedup_unavailable_reason"])


if __name__ == "__main__":
    IMPORTED = sys.argv.pop(1)
    unittest.main()
