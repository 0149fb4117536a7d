"""Tests of the yardstick kept apart from the candidate, on the CPU: the timed calls'
inputs (draws, swaps, pure calls), the paired rounds' interval, the process-wide
switches, the laundering check, the kernel-time classification, the candidate
process's file-system and signal confinement, and candidates that tamper with their
own process (which the yardstick's numbers must not feel).

    $TB_PYTHON harness/python/yardstick_test.py
"""

import os
import shutil
import signal
import sys
import tempfile
import unittest

os.environ["TRITON_INTERPRET"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import triton  # noqa: E402

# Forked children use torch after this process has (see checks_test.py).
torch.set_num_threads(1)
import triton.language as tl  # noqa: E402

import failures  # noqa: E402
import kernel_share  # noqa: E402
import launch_guard  # noqa: E402
import perf_case  # noqa: E402
import process_state  # noqa: E402
import sandbox  # noqa: E402
import timed_calls  # noqa: E402
import timing  # noqa: E402
import worker  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ADVERSARIAL = os.path.join(REPO, "harness/testdata/candidates/adversarial")


class Recorder:
    """A function that records what each call saw and returns x + y."""

    def __init__(self):
        self.seen = []

    def __call__(self, x, y, scale):
        self.seen.append((x.clone(), y.clone(), scale, x.untyped_storage().data_ptr()))
        return x + y * scale


class TimedCallsTest(unittest.TestCase):
    def draws(self):
        gen = torch.Generator().manual_seed(3)
        return [[torch.randn(64, 8, generator=gen), torch.randn(64, 8, generator=gen), float(s)] for s in (2, 3)]

    def test_every_call_sees_new_contents_at_the_same_address(self):
        draws = self.draws()
        fn = Recorder()
        calls = timed_calls.TimedCalls({"f": fn}, draws, "cpu", read_only=[0, 1, 2], seed=5)
        calls.warm_up(0, 10)
        fn.seen.clear()
        calls.round({"f": 6})
        calls.round({"f": 6}, last=True)
        contents = {(x.numpy().tobytes(), y.numpy().tobytes()) for x, y, _, _ in fn.seen}
        self.assertEqual(len(fn.seen), 14, "12 timed calls and one pure call per draw")
        self.assertEqual(len(contents), 14, "no two calls saw the same inputs")
        self.assertEqual(len({ptr for _, _, _, ptr in fn.seen}), 1, "one set of buffers")
        for x, y, scale, _ in fn.seen[:12]:
            draw = draws[[2.0, 3.0].index(scale)]
            # A permutation of the draw's own values, a few of them moved.
            self.assertTrue(torch.equal(x.view(-1).sort().values, draw[0].view(-1).sort().values))
            moved = int((x != draw[0]).sum())
            self.assertGreater(moved, 0)
            self.assertLessEqual(moved, 2 * timed_calls.SWAPS)

    def test_pure_calls_see_the_draws_as_drawn_and_keep_their_outputs(self):
        draws = self.draws()
        calls = timed_calls.TimedCalls({"f": Recorder()}, draws, "cpu", read_only=[0, 1, 2], seed=5)
        calls.warm_up(0, 4)
        calls.round({"f": 4}, last=True)
        kept = calls.collect()["f"]
        self.assertEqual(len(kept), 2)
        for draw, outs in zip(draws, kept):
            self.assertTrue(torch.equal(outs[0], draw[0] + draw[1] * draw[2]))

    def test_integers_are_never_permuted(self):
        idx = [torch.arange(100, dtype=torch.int64)]
        seen = []
        calls = timed_calls.TimedCalls({"f": lambda i: seen.append(i.clone()) or i.float()}, [idx, idx], "cpu",
                                       read_only=[0])
        calls.round({"f": 5})
        self.assertTrue(all(torch.equal(s, idx[0]) for s in seen))

    def test_every_floating_dtype_and_views_are_permuted(self):
        base = torch.randn(16, 12)
        args = [base.to(torch.float16), base.to(torch.bfloat16), base[:, :5], base.to(torch.float8_e4m3fn),
                torch.randn(12).expand(16, 12)]
        seen = []
        calls = timed_calls.TimedCalls({"f": lambda *a: seen.append([(t.clone(), t.stride()) for t in a])
                                        or a[2].sum()}, [args], "cpu", read_only=range(5))
        calls.round({"f": 1})
        got = [t for t, _ in seen[0]]
        for i in range(4):
            self.assertFalse(torch.equal(got[i].float(), args[i].float()), f"argument {i} kept its order")
        self.assertTrue(torch.equal(got[4], args[4]), "a broadcast view is left alone")
        self.assertEqual(seen[0][2][1], args[2].stride(), "a padded view keeps its strides")

    def test_written_arguments_are_restored_and_kept(self):
        draws = [[torch.ones(8), torch.zeros(8)], [torch.full((8,), 2.0), torch.zeros(8)]]

        def accumulate(x, out):
            out += x
            return None

        calls = timed_calls.TimedCalls({"f": accumulate}, draws, "cpu", read_only=[0])
        calls.round({"f": 7}, last=True)
        kept = calls.collect()["f"]
        self.assertTrue(torch.equal(kept[0][0], torch.ones(8)), "each call starts from the draw, not a sum")
        self.assertTrue(torch.equal(kept[1][0], torch.full((8,), 2.0)))

    def test_a_subclass_output_is_refused(self):
        class Lazy(torch.Tensor):
            pass

        with self.assertRaises(failures.EvaluationFailure) as caught:
            timed_calls.as_outputs(torch.zeros(2).as_subclass(Lazy))
        self.assertEqual(caught.exception.kind, "WRONG_OUTPUT_STRUCTURE")
        self.assertIn("subclass", caught.exception.message)


class RoundsTest(unittest.TestCase):
    def test_split_calls(self):
        self.assertEqual(perf_case.split_calls(100, 10), [10] * 10)
        self.assertEqual(perf_case.split_calls(3, 10), [1, 1, 1] + [0] * 7)
        self.assertEqual(sum(perf_case.split_calls(37, 10)), 37)

    def test_interval_holds_the_estimate_and_narrows_with_agreement(self):
        steady = [([2.0, 2.01, 1.99], [1.0, 1.0, 1.01]) for _ in range(10)]
        noisy = [([2.0 * (1 + 0.3 * ((i % 3) - 1))] * 3, [1.0] * 3) for i in range(10)]
        low, high = timing.paired_speedup_interval([steady], seed=1)
        self.assertLessEqual(low, 2.0)
        self.assertGreaterEqual(high, 1.97)
        nlow, nhigh = timing.paired_speedup_interval([noisy], seed=1)
        self.assertGreater(nhigh - nlow, high - low)
        self.assertEqual(timing.paired_speedup_interval([], seed=1), (0.0, 0.0))
        self.assertEqual(timing.paired_speedup_interval([steady], seed=7), timing.paired_speedup_interval([steady], seed=7))

    def test_interval_of_several_cases_is_of_their_geometric_mean(self):
        two = [([2.0], [1.0])] * 5
        eight = [([8.0], [1.0])] * 5
        low, high = timing.paired_speedup_interval([two, eight], seed=1)
        self.assertAlmostEqual(low, 4.0)
        self.assertAlmostEqual(high, 4.0)


class ProcessStateTest(unittest.TestCase):
    def test_a_flipped_switch_is_named(self):
        before = process_state.snapshot()
        saved = torch.backends.cuda.matmul.allow_tf32
        torch.backends.cuda.matmul.allow_tf32 = not saved
        try:
            changed = process_state.changed(before)
        finally:
            torch.backends.cuda.matmul.allow_tf32 = saved
        self.assertTrue(any(c.startswith("torch.backends.cuda.matmul.allow_tf32") for c in changed), changed)
        self.assertEqual(process_state.changed(before), [])

    def test_grad_mode_and_default_dtype(self):
        before = process_state.snapshot()
        with torch.no_grad():
            self.assertIn("torch.is_grad_enabled(): True -> False", process_state.changed(before))
        torch.set_default_dtype(torch.float64)
        try:
            self.assertTrue(any("get_default_dtype" in c for c in process_state.changed(before)))
        finally:
            torch.set_default_dtype(torch.float32)


@triton.jit
def _copy(src, dst, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(dst + offs, tl.load(src + offs, mask=offs < n), mask=offs < n)


@triton.jit
def _touch(p, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(p + offs, tl.load(p + offs, mask=offs < n), mask=offs < n)


class LaunderingTest(unittest.TestCase):
    def setUp(self):
        self.guard = launch_guard.LaunchGuard()
        self.guard.install()

    def tearDown(self):
        for cls in (triton.runtime.jit.JITFunction, triton.runtime.interpreter.InterpretedFunction):
            if hasattr(cls.run, "__wrapped__"):
                cls.run = cls.run.__wrapped__
        from triton.compiler import compiler

        if hasattr(compiler.CompiledKernel.__init__, "__wrapped__"):
            compiler.CompiledKernel.__init__ = compiler.CompiledKernel.__init__.__wrapped__

    def test_torch_softmax_passed_through_a_kernel_is_laundered(self):
        def fn(x):
            out = torch.softmax(x, dim=-1)
            _touch[(1,)](out, out.numel(), BLOCK=16)
            return out

        out, _ = self.guard.call(fn, [torch.randn(2, 8)], [0], track=True)
        self.assertTrue(self.guard.from_triton(out), "the data flow alone is fooled")
        self.assertEqual(self.guard.laundered(out), "_softmax")

    def test_a_clone_of_the_input_updated_in_place_is_not(self):
        def fn(x):
            out = x.clone()
            _touch[(1,)](out, out.numel(), BLOCK=16)
            return out

        out, _ = self.guard.call(fn, [torch.randn(16)], [0], track=True)
        self.assertEqual(self.guard.laundered(out), "")

    def test_a_moved_torch_result_is_still_laundered(self):
        def fn(x):
            out = (x * 2).contiguous().clone()
            _touch[(1,)](out, out.numel(), BLOCK=16)
            return out

        out, _ = self.guard.call(fn, [torch.randn(16)], [0], track=True)
        self.assertEqual(self.guard.laundered(out), "mul")

    def test_an_output_allocated_like_a_torch_result_is_not_laundered(self):
        # Sized after a torch prologue's result, written by the kernel: honest.
        def fn(x):
            scaled = x * 2
            out = torch.empty_like(scaled)
            _copy[(1,)](scaled, out, x.numel(), BLOCK=16)
            return out

        out, _ = self.guard.call(fn, [torch.randn(16)], [0], track=True)
        self.assertEqual(self.guard.laundered(out), "")
        self.assertTrue(self.guard.from_triton(out))

    def test_a_reused_address_forgets_what_it_held(self):
        def fn(x):
            for _ in range(20):
                del_me = x * 3  # freed at once; its address comes back to the next allocation
                del del_me
            out = torch.empty_like(x)
            _copy[(1,)](x, out, x.numel(), BLOCK=16)
            return out

        out, _ = self.guard.call(fn, [torch.randn(16)], [0], track=True)
        self.assertEqual(self.guard.laundered(out), "")
        self.assertTrue(self.guard.from_triton(out))


class KernelShareTest(unittest.TestCase):
    def test_classify(self):
        share = kernel_share.classify([
            ("_my_kernel", 30.0),
            ("void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>>", 60.0),
            ("Memcpy DtoD (Device -> Device)", 500.0),
            ("void at::native::elementwise_kernel<FillFunctor<float>>", 5.0),
            ("sm90_xmma_gemm_f32f32_tf32f32", 10.0),
        ], {"_my_kernel"})
        self.assertAlmostEqual(share["triton_ms"], 0.03)
        self.assertAlmostEqual(share["torch_compute_ms"], 0.07)
        self.assertAlmostEqual(share["data_movement_ms"], 0.505)
        self.assertAlmostEqual(share["triton_share"], 0.3)
        self.assertTrue(share["top_torch_kernels"][0].startswith("void at::native::vectorized_elementwise_kernel"))
        self.assertIn("Triton share 30%", kernel_share.problem(share))

    def test_triton_doing_the_work_passes(self):
        share = kernel_share.classify([("_my_kernel", 90.0), ("void reduce_kernel<sum>", 10.0)], {"_my_kernel"})
        self.assertEqual(kernel_share.problem(share), "")
        self.assertEqual(kernel_share.classify([("Memset (Device)", 3.0)], set())["triton_share"], 1.0)


@unittest.skipUnless(sandbox.landlock_abi() >= 1, "this kernel has no Landlock")
class ConfinementTest(unittest.TestCase):
    def test_writes_only_in_its_folder_and_signals_only_its_own(self):
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root, True)
        mine, outside = os.path.join(root, "mine"), os.path.join(root, "outside")
        os.mkdir(mine)
        os.mkdir(outside)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                steps = sandbox.isolate_candidate(writable=[mine])
                with open(os.path.join(mine, "ok"), "w") as f:
                    f.write("x")
                with open("/dev/null", "w") as f:
                    f.write("x")
                try:
                    open(os.path.join(outside, "planted"), "w").close()
                    code = 1
                except PermissionError:
                    pass
                if "landlock_signal_scope" in steps:
                    try:
                        os.kill(os.getppid(), 0)
                        code = 2
                    except PermissionError:
                        pass
            except BaseException:  # noqa: BLE001
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertEqual(os.listdir(outside), [])
        self.assertEqual(os.listdir(mine), ["ok"])


class YardstickApartTest(unittest.TestCase):
    """Candidates that tamper with their own process, judged end to end on the CPU."""

    def evaluate(self, candidate, timed=False):
        """worker.evaluate of `candidate` on vector_addition (perf cases timed on the CPU
        when `timed`); returns the result dict."""
        import candidate_client
        import child_process
        import gpu_lock
        import yardstick_process

        spec = {"id": "vector_addition", "entry_point": "vector_addition",
                "tolerances": [{"dtype": "float32", "atol": 1e-6, "rtol": 2.4e-7}],
                "correctness_cases": [{"name": "n300", "dims": {"N": 300}, "dtype": "float32", "seeds": [1]}]}
        child = candidate_client.CandidateProcess()
        yardstick = child_process.ChildProcess(yardstick_process.serve)
        child.spare.add(yardstick.pid)
        result = {"cases": [], "performance": [], "failure_kind": "NONE"}
        cwd = os.getcwd()
        scratch = tempfile.mkdtemp()
        os.chdir(scratch)
        try:
            request = {"task": spec, "task_dir": os.path.join(REPO, "suites/tritonbench_revised/vector_addition"),
                       "candidate_path": candidate, "settings": {"device": "cpu"}}
            try:
                worker.evaluate(request, lambda stage: None, result, child, yardstick, gpu_lock.GpuLock(""))
            except failures.EvaluationFailure as f:
                failures.record_failure(result, f.kind, f.message)
        finally:
            os.chdir(cwd)
            child.close()
            yardstick.quit()
            sandbox.kill_descendants(os.getpid())
            yardstick.close_pipes()
            shutil.rmtree(scratch, ignore_errors=True)
        return result

    def test_flipping_tf32_is_rejected(self):
        result = self.evaluate(os.path.join(ADVERSARIAL, "flips_tf32.py"))
        self.assertEqual((result["failure_kind"], result.get("check")), ("REJECTED_BY_CHECK", "global_state"))
        self.assertIn("allow_tf32: False -> True", result["message"])

    def test_laundering_is_rejected(self):
        result = self.evaluate(os.path.join(ADVERSARIAL, "launders_torch_output.py"))
        self.assertEqual((result["failure_kind"], result.get("check")),
                         ("REJECTED_BY_CHECK", "output_not_from_triton"), result.get("message"))
        self.assertIn("held a result torch computed", result["message"])

    def test_lazy_output_is_refused(self):
        result = self.evaluate(os.path.join(ADVERSARIAL, "lazy_output.py"))
        self.assertEqual(result["failure_kind"], "WRONG_OUTPUT_STRUCTURE")

    @unittest.skipUnless(sandbox.landlock_abi() >= 1, "this kernel has no Landlock")
    def test_a_file_planted_outside_is_refused(self):
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        candidate = os.path.join(folder, "writes_outside.py")
        shutil.copy(os.path.join(ADVERSARIAL, "writes_outside.py"), candidate)
        result = self.evaluate(candidate)
        self.assertEqual(result["failure_kind"], "NONE", result.get("message"))
        self.assertIn("landlock_writes", result["isolation"])
        self.assertEqual(os.listdir(folder), ["writes_outside.py"])


class YardstickStartTest(unittest.TestCase):
    """The yardstick loads while the judge works (worker.evaluate with one evaluation
    per GPU): its start is sent, the judge goes on, and the reply is collected later."""

    def start(self, task_dir):
        import child_process
        import perf_case
        import yardstick_process

        yardstick = child_process.ChildProcess(yardstick_process.serve)
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        self.addCleanup(yardstick.close_pipes)
        self.addCleanup(yardstick.quit)
        msg = {"op": "start", "task_dir": task_dir, "entry_point": "vector_addition", "device": "cpu",
               "dir": folder, "baselines": [], "triton_cache_dir": "", "time_reference": False,
               "read_only": [0, 1]}
        yardstick.send(msg)
        meanwhile = sum(range(100_000))  # the judge's own work, while the yardstick loads
        return yardstick, perf_case.collect(yardstick, msg), meanwhile

    def test_a_start_sent_ahead_is_answered_later(self):
        _, reply, meanwhile = self.start(os.path.join(REPO, "suites/tritonbench_revised/vector_addition"))
        self.assertTrue(reply["ok"])
        self.assertEqual(meanwhile, 4999950000)

    def test_a_failed_start_is_the_harness_error_it_was(self):
        with self.assertRaises(failures.EvaluationFailure) as raised:
            self.start("/no/such/task")
        self.assertEqual(raised.exception.kind, "HARNESS_ERROR")
        self.assertIn("the yardstick process (start)", raised.exception.message)


class TimedTamperingTest(unittest.TestCase):
    """perf_case.time_case on the CPU (host clock) with candidates that tamper."""

    def setUp(self):
        import checks_test

        self.plumbing = checks_test.TimingPlumbingTest("test_honest_candidate_is_timed")
        self.plumbing.setUp()
        self.addCleanup(self.plumbing.tearDown)

    def test_slowing_the_ground_truths_allocations_does_not_reach_the_yardstick(self):
        honest, failed = self.plumbing.time(os.path.join(REPO, "harness/testdata/candidates/correct_blocked.py"))
        self.assertIsNone(failed)
        perf, failed = self.plumbing.time(os.path.join(ADVERSARIAL, "slows_the_yardstick.py"))
        self.assertIsNone(failed, failed and failed.get("message"))
        # Each allocation outside the candidate's module stalls 100 ms: in the candidate's
        # process the ground truth (which allocates its output) would take 100 ms more.
        self.assertLess(perf["ground_truth"]["median_ms"], honest["ground_truth"]["median_ms"] + 50.0)

    def test_a_content_memo_is_caught_by_the_pure_calls(self):
        perf, failed = self.plumbing.time(os.path.join(ADVERSARIAL, "memoises_by_content.py"))
        self.assertIsNone(perf)
        self.assertEqual(failed["check"], "timing_outputs")

    def test_a_kernel_wrong_only_when_timed_is_caught(self):
        perf, failed = self.plumbing.time(os.path.join(ADVERSARIAL, "wrong_when_timed.py"))
        self.assertIsNone(perf)
        self.assertEqual(failed["check"], "timing_outputs")


if __name__ == "__main__":
    unittest.main()
