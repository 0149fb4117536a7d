"""Converts a float tensor to float16 after multiplying by a scale, saturating at the float16 range (a precision-conversion kernel)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _to_half_scaled(x_ptr, y_ptr, n, scale, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    v = tl.load(x_ptr + i, mask=i < n, other=0.0).to(tl.float32) * scale
    v = tl.minimum(tl.maximum(v, -65504.0), 65504.0)
    tl.store(y_ptr + i, v.to(tl.float16), mask=i < n)


def cast_with_scale(x: torch.Tensor, scale: float) -> torch.Tensor:
    y = torch.empty(x.shape, device=x.device, dtype=torch.float16)
    _to_half_scaled[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), scale, BLOCK=1024)
    return y
