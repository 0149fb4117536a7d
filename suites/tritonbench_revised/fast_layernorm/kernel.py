"""Ground truth for fast_layernorm: layer-norm forward that also saves each row's mean
and reciprocal standard deviation for the backward pass. Rows are at most 8192 wide, so
a row always fits in registers and x is read exactly once; short rows are packed
BLOCK_M to a program so that every program still moves a few thousand elements."""

import torch
import triton
import triton.language as tl


@triton.jit
def _fast_layernorm_kernel(x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr, M, N,
                           stride_x, stride_y, eps,
                           BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    row_ok = rows < M
    col_ok = cols < N
    mask = row_ok[:, None] & col_ok[None, :]
    r64 = rows.to(tl.int64)  # 64-bit: M * N may pass 2^31
    x = tl.load(x_ptr + r64[:, None] * stride_x + cols[None, :], mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=1) / N
    # Variance about the mean (both passes over registers): no cancellation when a row
    # has a large common offset. Padding lanes must add nothing.
    xc = tl.where(mask, x - mean[:, None], 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(xc * xc, axis=1) / N + eps)
    w = tl.load(w_ptr + cols, mask=col_ok, other=0.0).to(tl.float32)
    b = tl.load(b_ptr + cols, mask=col_ok, other=0.0).to(tl.float32)
    y = xc * rstd[:, None] * w[None, :] + b[None, :]
    tl.store(y_ptr + r64[:, None] * stride_y + cols[None, :], y.to(y_ptr.dtype.element_ty), mask=mask)
    tl.store(mean_ptr + rows, mean, mask=row_ok)
    tl.store(rstd_ptr + rows, rstd, mask=row_ok)


def fast_layernorm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float):
    m, n = x.shape
    y = torch.empty((m, n), device=x.device, dtype=x.dtype)
    mean = torch.empty((m,), device=x.device, dtype=torch.float32)
    rstd = torch.empty((m,), device=x.device, dtype=torch.float32)
    block_n = triton.next_power_of_2(n)
    assert block_n <= 8192, "rows up to 8192 wide"
    # Rows narrower than 2048 are packed so each program holds ~2048 elements (up to
    # 16 rows); with these warp counts a thread holds at most 32 elements.
    block_m = max(1, min(16, 2048 // block_n))
    tile = block_m * block_n
    warps = 4 if tile <= 1024 else 8
    _fast_layernorm_kernel[(triton.cdiv(m, block_m),)](
        x, weight, bias, y, mean, rstd, m, n, x.stride(0), y.stride(0), eps,
        BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    return y, mean, rstd
