"""Rounds every element to the nearest multiple of a step size (floor(x / step + 0.5) * step), a simple fake-quantization grid."""
import torch
import triton
import triton.language as tl


@triton.jit
def _round_step(x_ptr, y_ptr, n, step, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    v = tl.load(x_ptr + i, mask=i < n, other=0.0).to(tl.float32)
    r = tl.floor(v / step + 0.5) * step
    tl.store(y_ptr + i, r.to(y_ptr.dtype.element_ty), mask=i < n)


def round_to_step(x: torch.Tensor, step: float) -> torch.Tensor:
    y = torch.empty_like(x)
    _round_step[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), step, BLOCK=1024)
    return y
