# A fixture in GEAK-eval's TritonBench-revised layout, written for this project's tests:
# an in-place API (the kernel writes its argument).
import torch
import triton
import triton.language as tl


@triton.jit
def relu_kernel(x_ptr, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    x = tl.load(x_ptr + offsets, mask=mask)
    tl.store(x_ptr + offsets, tl.maximum(x, 0.0), mask=mask)


def relu_(x):
    relu_kernel[(triton.cdiv(x.numel(), 128),)](x, x.numel(), BLOCK=128)
    return x


##################################################################################################################################################


DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_relu_():
    torch.manual_seed(2)
    x = torch.randn(300, device=DEVICE)
    relu_(x)
    return {"test_case_1": x.clone()}


result_gold = test_relu_()
