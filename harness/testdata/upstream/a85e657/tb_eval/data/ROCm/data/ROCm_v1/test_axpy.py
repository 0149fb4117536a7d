# A fixture in GEAK-eval's ROCm layout, written for this project's tests.
######################################## Imports ########################################
import pytest
import torch
import triton
import triton.language as tl
######################################## Imports ########################################


@triton.jit
def axpy_kernel(x_ptr, y_ptr, out_ptr, alpha, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    x = tl.load(x_ptr + offsets, mask=mask).to(tl.float32)
    y = tl.load(y_ptr + offsets, mask=mask).to(tl.float32)
    tl.store(out_ptr + offsets, (alpha * x + y).to(out_ptr.dtype.element_ty), mask=mask)

##################################################################################################################################################

import os
import random
import re

import numpy as np
import pytest
import torch
from torch.testing import assert_close
from tb_eval.perf.ROCm.performance_utils_pytest import PytestBenchmarker, do_bench_config, save_all_benchmark_results

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
result_gold = {}


def set_seed(seed: int = 42) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def axpy_gbps(params, ms):
    return 3 * params["n"] * 4 / (ms / 1000) / 1e9


def axpy_tflops(params, ms):
    return 2 * params["n"] / (ms / 1000) / 1e12


@pytest.mark.parametrize('n', [100, 1000])
@pytest.mark.parametrize('dtype_str', ['float32', 'float16'])
def test_axpy(n, dtype_str, request):
    set_seed()
    dtype = getattr(torch, dtype_str)
    x = torch.randn(n, device=DEVICE, dtype=dtype)
    y = torch.randn(n, device=DEVICE, dtype=dtype)
    out = torch.empty_like(x)
    axpy_kernel[(triton.cdiv(n, 128),)](x, y, out, 2.0, n, BLOCK=128)
    result_gold['_CALL_SUCCESS_'] = torch.tensor([[1.0]])
    result_gold[re.sub(r"\W+", "_", request.node.name).strip("_")] = out.clone().detach().cpu()
    assert_close(out, (2.0 * x.float() + y.float()).to(dtype), rtol=1e-2, atol=1e-2)


@pytest.mark.skipif(True, reason="the fixture skips this test by its mark")
def test_axpy_marked_skip(request):
    result_gold["never"] = torch.zeros(1)


OP_NAME_FOR_BENCHMARK = "axpy_perf"


@pytest.mark.parametrize('n,dtype_str', [(2048, 'float32'), (4096, 'float16')])
def test_performance(n, dtype_str, request):
    set_seed()
    dtype = getattr(torch, dtype_str)
    x = torch.randn(n, device=DEVICE, dtype=dtype)
    y = torch.randn(n, device=DEVICE, dtype=dtype)
    out = torch.empty_like(x)
    op_lambda = lambda: axpy_kernel[(triton.cdiv(n, 256),)](x, y, out, 2.0, n, BLOCK=256)
    benchmarker = PytestBenchmarker(op_callable=op_lambda, op_name=OP_NAME_FOR_BENCHMARK,
                                    config=do_bench_config(warm_up=25, repetition=100))
    benchmarker.run_benchmark(current_params_dict={"n": n, "dtype_str": dtype_str},
                              gbps_calculator=axpy_gbps, tflops_calculator=axpy_tflops)


def test_save_results():
    result_gold.setdefault("_CALL_SUCCESS_", torch.tensor([[0.0]]))
    torch.save(result_gold, os.path.splitext(__file__)[0] + "_results.pt")


def test_save_performance_results():
    save_all_benchmark_results(os.path.join(os.path.dirname(__file__), "perf"))
