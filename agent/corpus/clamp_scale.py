"""Multiplies every element by a scale and clamps the result into [lo, hi]; a 1-D elementwise kernel with a masked tail."""
import torch
import triton
import triton.language as tl


@triton.jit
def _clamp_scale_kernel(src, dst, n, scale, lo, hi, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    keep = offs < n
    v = tl.load(src + offs, mask=keep, other=0.0).to(tl.float32) * scale
    v = tl.minimum(tl.maximum(v, lo), hi)
    tl.store(dst + offs, v.to(dst.dtype.element_ty), mask=keep)


def clamp_scale(x: torch.Tensor, scale: float, lo: float, hi: float) -> torch.Tensor:
    out = torch.empty_like(x)
    n = x.numel()
    _clamp_scale_kernel[(triton.cdiv(n, 1024),)](x, out, n, scale, lo, hi, BLOCK=1024)
    return out
