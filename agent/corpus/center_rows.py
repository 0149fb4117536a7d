"""Subtracts each row's mean from the row (mean-centering), one program per row; the mean is accumulated in float32."""
import torch
import triton
import triton.language as tl


@triton.jit
def _center(x_ptr, y_ptr, ncols, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    c = tl.arange(0, BLOCK)
    m = c < ncols
    v = tl.load(x_ptr + row * stride + c, mask=m, other=0.0).to(tl.float32)
    mu = tl.sum(v, axis=0) / ncols
    tl.store(y_ptr + row * stride + c, (v - mu).to(y_ptr.dtype.element_ty), mask=m)


def center_rows(x: torch.Tensor) -> torch.Tensor:
    x = x.contiguous()
    y = torch.empty_like(x)
    _center[(x.shape[0],)](x, y, x.shape[1], x.stride(0), BLOCK=triton.next_power_of_2(x.shape[1]))
    return y
