# A fixture in GEAK-eval's ROCm layout, written for this project's tests: stacked
# parametrize marks, a test that skips itself, a generator fixture over monkeypatch.
######################################## Imports ########################################
import pytest
import torch
import triton
import triton.language as tl
######################################## Imports ########################################


@triton.jit
def row_sum_kernel(x_ptr, out_ptr, cols, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offsets = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + row * cols + offsets, mask=offsets < cols, other=0.0)
    tl.store(out_ptr + row, tl.sum(x, axis=0))

##################################################################################################################################################

import os

import pytest
import torch
from tb_eval.perf.ROCm.performance_utils_pytest import PytestBenchmarker, do_bench_config, save_all_benchmark_results

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
result_gold = {}


@pytest.fixture
def scratch_env(monkeypatch):
    monkeypatch.setenv("ROW_SUM_FIXTURE", "1")
    yield "ROW_SUM_FIXTURE"


@pytest.mark.parametrize("rows, cols", [[3, 5], [8, 64]])
@pytest.mark.parametrize("scale", [1.0, -2.0])
def test_row_sum(rows, cols, scale, scratch_env, request, device=DEVICE):
    assert os.environ[scratch_env] == "1"
    if rows == 8 and scale < 0:
        pytest.skip("the fixture skips one case")
    torch.manual_seed(rows * cols)
    x = torch.randn(rows, cols, device=device) * scale
    out = torch.empty(rows, device=device)
    row_sum_kernel[(rows,)](x, out, cols, BLOCK=triton.next_power_of_2(cols))
    result_gold['_CALL_SUCCESS_'] = torch.tensor([[1.0]])
    result_gold[request.node.name] = out.clone().detach().cpu()


def test_save_results():
    result_gold.setdefault("_CALL_SUCCESS_", torch.tensor([[0.0]]))
    torch.save(result_gold, os.path.splitext(__file__)[0] + "_results.pt")
