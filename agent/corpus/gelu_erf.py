"""Exact GELU activation with the error function: 0.5 * x * (1 + erf(x / sqrt(2))), computed in float32."""
import torch
import triton
import triton.language as tl


@triton.jit
def _gelu_exact(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + i, mask=i < n, other=0.0).to(tl.float32)
    y = 0.5 * x * (1.0 + tl.math.erf(x * 0.7071067811865476))
    tl.store(y_ptr + i, y.to(y_ptr.dtype.element_ty), mask=i < n)


def gelu_erf(x: torch.Tensor) -> torch.Tensor:
    y = torch.empty_like(x)
    _gelu_exact[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), BLOCK=1024)
    return y
