"""Three-point moving average of a 1-D signal, out[i] = (x[i-1] + x[i] + x[i+1]) / 3, with zero padding at both ends (a stencil with shifted masked loads)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _blur3(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    left = tl.load(x_ptr + i - 1, mask=(i >= 1) & (i - 1 < n), other=0.0)
    mid = tl.load(x_ptr + i, mask=i < n, other=0.0)
    right = tl.load(x_ptr + i + 1, mask=i + 1 < n, other=0.0)
    tl.store(y_ptr + i, (left + mid + right) / 3.0, mask=i < n)


def blur_1d_3tap(x: torch.Tensor) -> torch.Tensor:
    y = torch.empty_like(x)
    _blur3[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), BLOCK=1024)
    return y
