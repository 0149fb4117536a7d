"""Ground truth for rms_norm_triton: the input gradient of RMSNorm, y = x * rstd * w with
rstd = 1 / sqrt(mean(x^2) + eps). One program per row: the row of x and dy is read once
into registers, rstd is recomputed from it (nothing was saved by a forward pass), and
    dx = rstd * (dy * w) - x * rstd^3 / N * sum(dy * w * x)
is written, all in float32."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rms_norm_dx_kernel(x_ptr, w_ptr, dy_ptr, dx_ptr, N, stride_x, stride_dy, stride_dx, eps,
                        BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)  # 64-bit: M * N may pass 2^31
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    # Padding lanes read 0 and add nothing to either row sum.
    x = tl.load(x_ptr + row * stride_x + cols, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + row * stride_dy + cols, mask=mask, other=0.0).to(tl.float32)
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    rstd = tl.rsqrt(tl.sum(x * x, axis=0) / N + eps)
    g = dy * w
    # d(x * rstd(x))/dx applied to g: rstd * g - x * rstd^3 * mean(g * x).
    c = tl.sum(g * x, axis=0) * (rstd * rstd * rstd / N)
    dx = rstd * g - x * c
    tl.store(dx_ptr + row * stride_dx + cols, dx.to(dx_ptr.dtype.element_ty), mask=mask)


def rms_norm_triton(x: torch.Tensor, weight: torch.Tensor, dy: torch.Tensor,
                    eps: float) -> torch.Tensor:
    m, n = x.shape
    dx = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if m == 0:
        return dx
    block = triton.next_power_of_2(n)
    # x, dy and w held in float32: at most ~24 values per thread of each.
    warps = 4 if block <= 1024 else (8 if block <= 4096 else 16)
    _rms_norm_dx_kernel[(m,)](x, weight, dy, dx, n, x.stride(0), dy.stride(0), dx.stride(0), eps,
                              BLOCK=block, num_warps=warps)
    return dx
