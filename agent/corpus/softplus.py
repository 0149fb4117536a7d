"""Softplus activation log(1 + exp(x)), written in the numerically stable form max(x, 0) + log(1 + exp(-|x|))."""
import torch
import triton
import triton.language as tl


@triton.jit
def _softplus_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    o = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = o < n
    x = tl.load(x_ptr + o, mask=m, other=0.0).to(tl.float32)
    y = tl.maximum(x, 0.0) + tl.log(1.0 + tl.exp(-tl.abs(x)))
    tl.store(out_ptr + o, y.to(out_ptr.dtype.element_ty), mask=m)


def softplus(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(x)
    _softplus_kernel[(triton.cdiv(x.numel(), 1024),)](x, out, x.numel(), BLOCK=1024)
    return out
