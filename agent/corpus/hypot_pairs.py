"""Euclidean length of 2-D points given as two coordinate tensors: sqrt(x^2 + y^2) per element."""
import torch
import triton
import triton.language as tl


@triton.jit
def _hypot(x_ptr, y_ptr, r_ptr, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + i, mask=i < n, other=0.0).to(tl.float32)
    y = tl.load(y_ptr + i, mask=i < n, other=0.0).to(tl.float32)
    tl.store(r_ptr + i, tl.sqrt(x * x + y * y).to(r_ptr.dtype.element_ty), mask=i < n)


def hypot_pairs(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r = torch.empty_like(x)
    _hypot[(triton.cdiv(x.numel(), 1024),)](x, y, r, x.numel(), BLOCK=1024)
    return r
