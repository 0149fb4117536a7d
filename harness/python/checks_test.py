"""Unit tests of the judge's decisions that a CPU can exercise directly: the timing
sanity rule (its inputs come from GPUs), the order of failures, the classification of
GPU faults, the candidate process's isolation and the Triton provenance tracking.

    $TB_PYTHON harness/python/checks_test.py
"""

import os
import socket
import sys
import unittest

os.environ["TRITON_INTERPRET"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import triton  # noqa: E402

# These tests fork candidate processes from a process that has already run torch ops
# (the worker forks before any): once a parallel op has started GNU OpenMP's thread
# pool, a forked child that uses it (Inductor's compiled CPU code does) hangs on a lock.
torch.set_num_threads(1)
import triton.language as tl  # noqa: E402

import failures  # noqa: E402
import launch_guard  # noqa: E402
import judge_task  # noqa: E402
import layout  # noqa: E402
import sandbox  # noqa: E402
import perf_case  # noqa: E402
import worker  # noqa: E402


def perf(cand_ms, gt_ms, nbytes=768e6, bandwidth=3000.0):
    return {"candidate": {"median_ms": cand_ms}, "ground_truth": {"median_ms": gt_ms},
            "bytes": nbytes, "copy_bandwidth_gbps": bandwidth}


class TimingSanityTest(unittest.TestCase):
    def test_honest_kernel_passes(self):
        self.assertEqual(perf_case.timing_problem(perf(0.26, 0.27), {"candidate": 0.02, "ground_truth": 0.02}), "")

    def test_side_stream_is_flagged(self):
        problem = perf_case.timing_problem(perf(0.005, 0.27), {"candidate": 0.25, "ground_truth": 0.02})
        self.assertIn("another stream", problem)

    def test_faster_than_bandwidth_is_flagged(self):
        problem = perf_case.timing_problem(perf(0.01, 0.27), {"candidate": 0.02, "ground_truth": 0.02})
        self.assertIn("copy bandwidth", problem)

    def test_bound_is_skipped_where_the_ground_truth_beats_it(self):
        # bytes overstate what the task moves: the ground truth itself is "too fast".
        self.assertEqual(perf_case.timing_problem(perf(0.01, 0.02), {"candidate": 0.0, "ground_truth": 0.0}), "")

    def test_unreported_time_is_the_candidates_gap_less_the_yardsticks(self):
        times = {"candidate": [[1.0, 1.0]] * 4, "ground_truth": [[2.0, 2.0]] * 4}
        # Yardstick: 6 ms of wall a round for 4 ms reported over 2 calls (1 ms each
        # beyond); candidate: 5 ms for 2 ms (1.5 ms each beyond). The last round (pure
        # calls copying their outputs aside) and one slow round do not count.
        wall = {"yardstick": [6.0, 6.0, 6.0, 60.0], "candidate": [5.0, 5.0, 50.0, 50.0]}
        self.assertAlmostEqual(perf_case.unreported_ms(times, wall), 0.5)

    def test_launch_bound_small_kernel_passes(self):
        self.assertEqual(perf_case.timing_problem(perf(0.004, 0.004, nbytes=4096), {"candidate": 0.03,
                                                                                  "ground_truth": 0.03}), "")


class FailureOrderTest(unittest.TestCase):
    def test_plain_failure_beats_rejection(self):
        cases = [{"passed": False, "failure_kind": "REJECTED_BY_CHECK", "check": "no_triton_kernel"},
                 {"passed": False, "failure_kind": "WRONG_DTYPE"}]
        self.assertEqual(worker.first_failure(cases)["failure_kind"], "WRONG_DTYPE")
        self.assertEqual(worker.first_failure(cases[:1])["check"], "no_triton_kernel")
        self.assertIsNone(worker.first_failure([{"passed": True}]))

    def test_split_kind(self):
        self.assertEqual(failures.split_kind("REJECTED_BY_CHECK:network"), ("REJECTED_BY_CHECK", "network"))
        self.assertEqual(failures.split_kind("CRASH"), ("CRASH", ""))


class ClassifyTest(unittest.TestCase):
    def test_gpu_faults(self):
        classify = failures.classify_call_exception
        self.assertEqual(classify(RuntimeError("CUDA error: an illegal memory access was encountered")), "CRASH")
        self.assertEqual(classify(RuntimeError("CUDA out of memory. Tried to allocate 4.00 TiB")), "OUT_OF_MEMORY")
        self.assertEqual(classify(RuntimeError("DefaultCPUAllocator: can't allocate memory")), "OUT_OF_MEMORY")
        self.assertEqual(classify(ValueError("bad")), "RUNTIME_ERROR")


class IsolationTest(unittest.TestCase):
    def test_candidate_process_has_no_internet_sockets(self):
        pid = os.fork()
        if pid == 0:
            sandbox.isolate_candidate()
            try:
                socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                os._exit(1)
            except PermissionError:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)


@triton.jit
def _copy(src, dst, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(dst + offs, tl.load(src + offs, mask=offs < n), mask=offs < n)


class ProvenanceTest(unittest.TestCase):
    def setUp(self):
        self.guard = launch_guard.LaunchGuard()
        self.installed = self.guard.install()

    def tearDown(self):
        for cls in (triton.runtime.jit.JITFunction, triton.runtime.interpreter.InterpretedFunction):
            if hasattr(cls.run, "__wrapped__"):
                cls.run = cls.run.__wrapped__

    def test_kernel_output_then_torch_cast_is_from_triton(self):
        def fn(x):
            out = torch.empty_like(x)
            _copy[(1,)](x, out, x.numel(), BLOCK=16)
            return out.to(torch.float64).view(-1)[:4]

        x = torch.randn(8)
        out, launches = self.guard.call(fn, [x], [0], track=True)
        self.assertEqual(launches, 1)
        self.assertTrue(self.guard.from_triton(out))

    def test_torch_result_beside_a_decoy_is_not(self):
        def fn(x):
            scratch = torch.empty_like(x)
            _copy[(1,)](x, scratch, x.numel(), BLOCK=16)
            return x * 2

        out, launches = self.guard.call(fn, [torch.randn(8)], [0], track=True)
        self.assertEqual(launches, 1)
        self.assertFalse(self.guard.from_triton(out))

    def test_a_tensor_made_from_data_at_a_kernel_s_old_address_is_not(self):
        # torch.tensor(data) allocates outside the dispatcher: its storage may sit where
        # a kernel's freed output was, and must not inherit that output's provenance.
        def fn(x):
            made = []
            for _ in range(50):
                out = torch.empty_like(x)
                _copy[(1,)](x, out, x.numel(), BLOCK=16)
                del out
                made.append(torch.tensor([[1.0]]))
            return made

        made, _ = self.guard.call(fn, [torch.randn(8)], [0], track=True)
        self.assertFalse(any(self.guard.from_triton(t) for t in made))

    def test_a_new_tensor_at_a_laundered_address_is_not_laundered(self):
        # A torch result a kernel took in marks its storage; once freed, a kernel's output
        # made at the same address must not inherit the mark.
        def fn(x):
            kept = []
            for _ in range(50):
                computed = x * 2
                _copy[(1,)](computed, torch.empty_like(x), x.numel(), BLOCK=16)
                del computed
                out = torch.empty_like(x)
                _copy[(1,)](x, out, x.numel(), BLOCK=16)
                kept.append(out)
            return kept

        kept, _ = self.guard.call(fn, [torch.randn(8)], [0], track=True)
        self.assertEqual([t for t in kept if self.guard.laundered(t)], [])

    def test_bindings_name_what_changed(self):
        bindings = launch_guard.Bindings()
        original = torch.cuda.synchronize
        torch.cuda.synchronize = lambda: None
        try:
            self.assertEqual(bindings.changed(), ["torch.cuda.synchronize"])
        finally:
            torch.cuda.synchronize = original
        self.assertEqual(bindings.changed(), [])


COMPILER_RULES_MODULE = """
import math
import triton
import triton.language as tl

LOG2E = 1.4426950408889634      # a plain float: the GPU compiler refuses it in a kernel
LN2 = tl.constexpr(0.6931471805599453)
SCALE = 3.0


@triton.jit
def _reads_plain_float(x_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(x_ptr + offs, tl.load(x_ptr + offs) * LOG2E)


@triton.autotune(configs=[triton.Config({"BLOCK": 16})], key=[])
@triton.jit
def _clean(x_ptr, n, BLOCK: tl.constexpr):
    SCALE = 2.0  # a local of the same name as a plain global
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n)
    tl.store(x_ptr + offs, x * LN2 * SCALE + math.pi, mask=offs < n)


def host_helper():
    return LOG2E * SCALE  # plain Python: free to read any global
"""


class CompilerRulesTest(unittest.TestCase):
    """What the GPU compiler refuses and the interpreter runs (compiler_rules.py)."""

    def load(self, source):
        import shutil
        import tempfile

        import task_files

        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        path = os.path.join(folder, "kernels.py")
        with open(path, "w") as f:
            f.write(source)
        return task_files.load_module(path, "tb_compiler_rules_case"), path

    def test_plain_float_global_in_a_kernel_is_named(self):
        import compiler_rules

        module, _ = self.load(COMPILER_RULES_MODULE)
        self.assertEqual(sorted(compiler_rules.kernel_functions(module)), ["_clean", "_reads_plain_float"])
        self.assertEqual(compiler_rules.non_constexpr_globals(module), [("_reads_plain_float", "LOG2E", "float")])

    def test_check_module_reports_a_compile_error(self):
        import compiler_rules

        module, path = self.load(COMPILER_RULES_MODULE)
        with self.assertRaises(failures.EvaluationFailure) as raised:
            compiler_rules.check_module(module, path)
        self.assertEqual(raised.exception.kind, "COMPILE_ERROR")
        self.assertIn("_reads_plain_float reads LOG2E (a plain float)", raised.exception.message)

    def test_constexpr_modules_and_locals_pass(self):
        import compiler_rules

        clean = COMPILER_RULES_MODULE.replace("* LOG2E)", "* LN2)")
        module, path = self.load(clean)
        self.assertEqual(compiler_rules.non_constexpr_globals(module), [])
        compiler_rules.check_module(module, path)  # raises nothing


class PerfPlanTest(unittest.TestCase):
    """A performance case's draws must have the same layout: each is written into the
    same buffers in place."""

    class Check:
        def __init__(self, task, case, seed, label=""):
            self.seed, self.label = seed, label
            self.cpu_args = task.make_cpu_args(case, seed)

    check = Check

    class SeededTask:
        def __init__(self, ragged):
            self.ragged = ragged

        def make_cpu_args(self, case, seed):
            n = 64 + (seed % 16 if self.ragged else 0)  # a length drawn from the seed
            return [torch.zeros(n), torch.zeros(4, dtype=torch.int32)]

        def expected(self, case, cpu_args, fn=None):
            return [cpu_args[0].clone()]

    def test_seed_dependent_shapes_are_a_task_error(self):
        with self.assertRaises(failures.EvaluationFailure) as raised:
            perf_case.PerfPlan(self.SeededTask(ragged=True), {"name": "packed", "seeds": [101]}, self.check)
        self.assertEqual(raised.exception.kind, "HARNESS_ERROR")
        self.assertIn("performance case 'packed' different shapes for different seeds (argument 0:",
                      raised.exception.message)

    def test_fixed_shapes_pass(self):
        plan = perf_case.PerfPlan(self.SeededTask(ragged=False), {"name": "packed", "seeds": [101]}, self.check)
        self.assertEqual([len(d.cpu_args[0]) for d in plan.draws], [64, 64])
        self.assertNotEqual(plan.draws[0].seed, plan.draws[1].seed)

    def test_salt_changes_every_draw(self):
        task, case = self.SeededTask(ragged=False), {"name": "packed", "seeds": [101]}
        plain = perf_case.PerfPlan(task, case, self.check)
        salted = perf_case.PerfPlan(task, case, self.check, salt=12345)
        self.assertEqual(plain.draws[0].seed, 101)
        self.assertTrue({d.seed for d in plain.draws}.isdisjoint({d.seed for d in salted.draws}))

    def test_large_inputs_get_one_draw(self):
        # 64 floats + 4 ints = 272 bytes a draw; three copies do not fit 8% of 5000 bytes.
        plan = perf_case.PerfPlan(self.SeededTask(ragged=False), {"name": "packed", "seeds": [101]}, self.check,
                                  device_memory=5000)
        self.assertEqual(len(plan.draws), 1)

    def test_layout_differences(self):
        a = [torch.zeros(3), 1.5]
        self.assertEqual(perf_case.layout_differences(a, [torch.ones(3), 2.5]), "")
        self.assertIn("float32 against", perf_case.layout_differences(a, [torch.zeros(3, dtype=torch.float64), 1.5]))
        self.assertEqual(perf_case.layout_differences(a, a[:1]), "2 arguments against 1")


class TimingPlumbingTest(unittest.TestCase):
    """The timing path end to end (judge, candidate process, yardstick process, files,
    checks of the timed outputs) on the CPU, where timed_calls uses the host's clock."""

    def setUp(self):
        import tempfile

        self.root = tempfile.mkdtemp()
        here = os.path.dirname(os.path.abspath(__file__))
        self.repo = os.path.dirname(os.path.dirname(here))
        self.task = judge_task.Task({"entry_point": "vector_addition",
                                 "tolerances": [{"dtype": "float32", "atol": 1e-6, "rtol": 2.4e-7}]},
                                os.path.join(self.repo, "suites/tritonbench_revised/vector_addition"), "cpu")

    def tearDown(self):
        import shutil

        shutil.rmtree(self.root, ignore_errors=True)

    def time(self, candidate, baselines=(), task=None, case=None, rounds=False):
        """perf_case.time_case of `candidate` on the task (vector_addition) at `case`;
        returns (perf, failed), with the paired rounds too if `rounds`."""
        import tempfile

        import candidate_client
        import child_process
        import judge_calls
        import yardstick_process

        task = task or self.task
        case = case or {"name": "n3000", "dims": {"N": 3000}, "dtype": "float32", "seeds": [7]}
        child = candidate_client.CandidateProcess()
        yardstick = child_process.ChildProcess(yardstick_process.serve)
        child.spare.add(yardstick.pid)
        try:
            files = judge_calls.Files(self.root)
            plan = perf_case.PerfPlan(task, case, judge_task.Check)
            read_only = task.read_only_args(plan.check.cpu_args)
            yardstick.request({"op": "start", "task_dir": os.path.dirname(task.kernel_path),
                               "entry_point": task.spec["entry_point"], "device": "cpu",
                               "dir": tempfile.mkdtemp(dir=self.root), "baselines": list(baselines),
                               "read_only": read_only})
            child.request({"op": "start", "candidate": candidate, "entry_point": task.spec["entry_point"],
                           "device": "cpu", "dir": files.dir, "read_only": read_only})
            perf, failed, paired = perf_case.time_case(task, child, yardstick, files, plan,
                                                       {"timing_repetitions": 3})
            return (perf, failed, paired) if rounds else (perf, failed)
        finally:
            child.close()
            yardstick.quit()
            sandbox.kill_descendants(os.getpid())
            yardstick.close_pipes()

    def test_final_call_gets_the_final_draws_plain_arguments(self):
        # matmul_dequantize draws its scale and zero point (floats) per seed: the final
        # call must use the final draw's, as the judge's expected outputs do (on an H200
        # its ground truth failed timing_outputs while the timing draw's stayed in place).
        task = judge_task.Task({"entry_point": "matmul_dequantize",
                            "tolerances": [{"dtype": "bfloat16", "atol": 2e-2, "rtol": 1.6e-2}]},
                           os.path.join(self.repo, "suites/tritonbench_revised/matmul_dequantize"), "cpu")
        # Seed 17: the two draws' zero points differ by 8.4 and their scales by 2.3x.
        case = {"name": "m5_n40_k70", "dims": {"M": 5, "N": 40, "K": 70}, "dtype": "bfloat16", "seeds": [17]}
        perf, failed = self.time(task.kernel_path, task=task, case=case)
        self.assertIsNone(failed, failed and failed.get("message"))
        self.assertEqual(perf["candidate"]["repetitions"], 5, "3 timed calls and one pure call per draw")

    def test_honest_candidate_is_timed(self):
        perf, failed, paired = self.time(os.path.join(self.repo, "harness/testdata/candidates/correct_blocked.py"),
                                         rounds=True)
        self.assertIsNone(failed)
        self.assertEqual(perf["candidate"]["repetitions"], 5)
        self.assertEqual(perf["ground_truth"]["repetitions"], 5)
        self.assertEqual(perf["timing_rounds"], 3)
        self.assertEqual(len(paired), 3)
        self.assertGreater(perf["speedup"], 0)
        self.assertLessEqual(perf["speedup_ci_low"], perf["speedup_ci_high"])

    def test_torch_compile_baseline_is_timed_and_checked(self):
        # Inductor's CPU backend here; on a GPU the same path compiles to Triton.
        perf, failed = self.time(os.path.join(self.repo, "harness/testdata/candidates/correct_blocked.py"),
                                 baselines=["torch_compile"])
        self.assertIsNone(failed)
        self.assertEqual([b["name"] for b in perf["baselines"]], ["torch_compile"])
        b = perf["baselines"][0]
        self.assertTrue(b["outputs_ok"], b.get("message"))
        self.assertEqual(b["latency"]["repetitions"], 5)
        self.assertNotIn("torch_compile", perf, "baselines are kept apart from the three timed roles")

    def test_baseline_that_fails_to_compile_leaves_the_ground_truth_timed(self):
        # On an H200, Inductor failed to compile layer_norm_liger's float64 reference
        # (a loop-carried fp32/fp64 mismatch in its generated Triton), and the whole task
        # failed with it. The candidate process is forked: the patched build reaches it.
        import baselines

        def inductor_fails(*args):
            raise RuntimeError("InductorError: Loop-carried variable accum0 changed type")

        saved = baselines.build
        baselines.build = lambda module, names: {"torch_compile": inductor_fails,
                                                 "torch_compile_max_autotune": module.reference}
        try:
            perf, failed = self.time(os.path.join(self.repo, "harness/testdata/candidates/correct_blocked.py"),
                                     baselines=["torch_compile", "torch_compile_max_autotune"])
        finally:
            baselines.build = saved
        self.assertIsNone(failed, failed and failed.get("message"))
        self.assertEqual(perf["candidate"]["repetitions"], 5)
        by_name = {b["name"]: b for b in perf["baselines"]}
        broken, working = by_name["torch_compile"], by_name["torch_compile_max_autotune"]
        self.assertNotIn("latency", broken)
        self.assertNotEqual(broken.get("failure_kind", "NONE"), "NONE")
        self.assertIn("Loop-carried variable", broken["message"])
        self.assertFalse(broken["outputs_ok"])
        self.assertTrue(working["outputs_ok"], working.get("message"))
        self.assertEqual(working["latency"]["repetitions"], 5)
        self.assertGreater(working["compile_ms"], 0.0, "its first call, made before timing")

    def test_baseline_whose_compile_runs_past_its_limit_is_a_timeout_not_a_stall(self):
        # On an H200, torch.compile of test_randn's reference had not finished after
        # minutes; the task's whole time limit went with it.
        import baselines
        import subprocess
        import time

        def compiles_forever(*args):
            # As Inductor compiles C++: a compiler driver (sh) that waits on its own
            # child (sleep, standing in for cc1plus); none may outlive the cut.
            subprocess.run(["sh", "-c", "sleep 300; true"])

        import sandbox

        # As the judge is: orphans come back to this process, where the leftover check sees them.
        sandbox._prctl(sandbox.PR_SET_CHILD_SUBREAPER, 1)
        self.addCleanup(sandbox._prctl, sandbox.PR_SET_CHILD_SUBREAPER, 0)
        saved = baselines.build, baselines.FIRST_CALL_LIMIT_S
        baselines.build = lambda module, names: {"torch_compile": compiles_forever,
                                                 "torch_compile_max_autotune": module.reference}
        baselines.FIRST_CALL_LIMIT_S = {"torch_compile": 1, "torch_compile_max_autotune": 60}
        try:
            started = time.monotonic()
            perf, failed = self.time(os.path.join(self.repo, "harness/testdata/candidates/correct_blocked.py"),
                                     baselines=["torch_compile", "torch_compile_max_autotune"])
            waited = time.monotonic() - started
        finally:
            baselines.build, baselines.FIRST_CALL_LIMIT_S = saved
        self.assertIsNone(failed, failed and failed.get("message"))
        self.assertLess(waited, 60, "the stuck compile was cut off")
        by_name = {b["name"]: b for b in perf["baselines"]}
        self.assertEqual(by_name["torch_compile"]["failure_kind"], "TIMEOUT")
        self.assertIn("ran past 1 s", by_name["torch_compile"]["message"])
        self.assertTrue(by_name["torch_compile_max_autotune"]["outputs_ok"])
        self.assertEqual(perf["candidate"]["repetitions"], 5)

    def task_with_baseline(self, source):
        """vector_addition with `source` in place of its baseline() (None: without one)."""
        import shutil

        folder = os.path.join(self.root, "task")
        shutil.copytree(os.path.dirname(self.task.reference_path), folder)
        path = os.path.join(folder, "reference.py")
        with open(path) as f:
            text = f.read()
        text = text[:text.index("\n\n# The reference is already")] + "\n"
        with open(path, "w") as f:
            f.write(text + ("\n\n" + source if source else ""))
        return judge_task.Task(self.task.spec, folder, "cpu")

    def test_eager_baseline_times_the_tasks_baseline_and_checks_its_outputs(self):
        # The reference stays right; only baseline() is off, so a failed output check
        # shows that baseline(), not reference(), is what torch_eager ran.
        task = self.task_with_baseline("def baseline(x, y):\n    return x + y + 1e-3\n")
        perf, failed = self.time(task.kernel_path, baselines=["torch_eager"], task=task)
        self.assertIsNone(failed, failed and failed.get("message"))
        (eager,) = perf["baselines"]
        self.assertEqual(eager["name"], "torch_eager")
        self.assertEqual(eager["latency"]["repetitions"], 5)
        self.assertFalse(eager["outputs_ok"])
        self.assertIn("WRONG_VALUES", eager["message"])
        perf, failed = self.time(self.task.kernel_path, baselines=["torch_eager"])
        self.assertTrue(perf["baselines"][0]["outputs_ok"], perf["baselines"][0].get("message"))

    def test_task_without_baseline_cannot_time_baselines(self):
        task = self.task_with_baseline(None)
        with self.assertRaises(failures.EvaluationFailure) as caught:
            self.time(task.kernel_path, baselines=["torch_eager"], task=task)
        self.assertEqual(caught.exception.kind, "HARNESS_ERROR")
        self.assertIn("defines no baseline()", caught.exception.message)

    def check_baseline(self, source):
        """judge_task.check_baseline on vector_addition with `source` as its baseline()."""
        task = self.task_with_baseline(source)
        case = {"name": "n300", "dims": {"N": 300}, "dtype": "float32"}
        judge_task.check_baseline(task, [judge_task.Check(task, case, seed) for seed in (1, 2)])

    def test_check_baseline_passes_an_agreeing_baseline(self):
        self.check_baseline("def baseline(x, y):\n    return torch.add(x, y)\n")

    def test_check_baseline_names_the_case_it_disagrees_on(self):
        with self.assertRaises(failures.EvaluationFailure) as caught:
            self.check_baseline("def baseline(x, y):\n    return (x.half() + y.half()).float()\n")
        self.assertEqual(caught.exception.kind, "HARNESS_ERROR")
        self.assertIn("baseline() at case 'n300' seed 1 disagrees with reference(): WRONG_VALUES",
                      caught.exception.message)

    def test_check_baseline_rejects_a_written_input(self):
        with self.assertRaises(failures.EvaluationFailure) as caught:
            self.check_baseline("def baseline(x, y):\n    return x.add_(y)\n")
        self.assertIn("wrote to input(s) [0]", caught.exception.message)

    def test_check_baseline_rejects_a_task_without_one(self):
        with self.assertRaises(failures.EvaluationFailure) as caught:
            self.check_baseline(None)
        self.assertIn("defines no baseline()", caught.exception.message)

    def test_unknown_baseline_is_named(self):
        import baselines

        self.assertEqual(baselines.unknown(["torch_compile", "tvm"]), ["tvm"])

    def test_pointer_cache_is_caught_by_the_pure_timed_calls(self):
        source = os.path.join(self.repo, "harness/testdata/candidates/adversarial/caches_by_pointer.py")
        with open(source) as f:
            text = f.read().replace("<= 12", "<= 1")  # memoise from the second call on
        path = os.path.join(self.root, "caches_early.py")
        with open(path, "w") as f:
            f.write(text)
        perf, failed = self.time(path)
        self.assertIsNone(perf)
        self.assertEqual(failed["check"], "timing_outputs")


class LayoutTest(unittest.TestCase):
    """Inputs reach the kernel with the strides make_inputs gave them."""

    def test_padded_view_keeps_its_strides(self):
        base = torch.arange(32.0).reshape(4, 8)
        view = base[1:, :5]
        copy = layout.device_copy(view, "cpu")
        self.assertEqual(copy.stride(), view.stride())
        self.assertEqual(copy.storage_offset(), view.storage_offset())
        self.assertTrue(torch.equal(copy, view))
        self.assertNotEqual(copy.untyped_storage().data_ptr(), base.untyped_storage().data_ptr())
        copy[0, 0] = -1.0
        self.assertEqual(float(base[1, 0]), 8.0, "a copy, not an alias")

    def test_broadcast_and_transposed_views(self):
        row = torch.arange(5.0).expand(3, 5)
        self.assertEqual(layout.device_copy(row, "cpu").stride(), (0, 1))
        t = torch.arange(6.0).reshape(2, 3).t()
        self.assertEqual(layout.device_copy(t, "cpu").stride(), (1, 3))
        args = layout.device_copies([t, 2.5, None], "cpu")
        self.assertEqual(args[1:], [2.5, None])


if __name__ == "__main__":
    unittest.main()
