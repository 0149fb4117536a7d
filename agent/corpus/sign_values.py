"""Sign function: -1 for negative elements, 0 for zeros, +1 for positive elements, in the input dtype."""
import torch
import triton
import triton.language as tl


@triton.jit
def _sign(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + i, mask=i < n, other=0.0)
    s = (x > 0).to(tl.float32) - (x < 0).to(tl.float32)
    tl.store(y_ptr + i, s.to(y_ptr.dtype.element_ty), mask=i < n)


def sign_values(x: torch.Tensor) -> torch.Tensor:
    y = torch.empty_like(x)
    _sign[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), BLOCK=1024)
    return y
