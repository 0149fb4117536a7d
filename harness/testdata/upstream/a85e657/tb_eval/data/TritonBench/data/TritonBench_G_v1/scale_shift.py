# A fixture in GEAK-eval's TritonBench-revised layout, written for this project's tests.
import torch
import triton
import triton.language as tl


@triton.jit
def scale_shift_kernel(x_ptr, out_ptr, scale, shift, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    x = tl.load(x_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x * scale + shift, mask=mask)


def scale_shift(x, scale, shift):
    out = torch.empty_like(x)
    n = x.numel()
    scale_shift_kernel[(triton.cdiv(n, 64),)](x, out, scale, shift, n, BLOCK=64)
    return out


##################################################################################################################################################


DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_scale_shift():
    torch.manual_seed(0)
    results = {}
    x = torch.randn(100, device=DEVICE)
    results["test_case_1"] = scale_shift(x, 2.0, 0.5)
    y = torch.randn(257, device=DEVICE)
    results["test_case_2"] = scale_shift(y, -1.5, 3.0)
    z = torch.randn(3, 5, device=DEVICE)
    results["test_case_3"] = scale_shift(z, 0.25, -1.0)
    return results


result_gold = test_scale_shift()
