"""Evaluates the cubic polynomial c0 + c1 x + c2 x^2 + c3 x^3 at every element with Horner's rule; coefficients are scalar kernel arguments."""
import torch
import triton
import triton.language as tl


@triton.jit
def _horner(x_ptr, y_ptr, n, c0, c1, c2, c3, BLOCK: tl.constexpr):
    q = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mk = q < n
    t = tl.load(x_ptr + q, mask=mk, other=0.0).to(tl.float32)
    val = ((c3 * t + c2) * t + c1) * t + c0
    tl.store(y_ptr + q, val.to(y_ptr.dtype.element_ty), mask=mk)


def polynomial_horner(x: torch.Tensor, coeffs) -> torch.Tensor:
    y = torch.empty_like(x)
    c0, c1, c2, c3 = [float(c) for c in coeffs]
    _horner[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), c0, c1, c2, c3, BLOCK=1024)
    return y
