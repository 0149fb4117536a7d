"""Ground truth for layer_norm_triton: short rows (N <= 1024), many of them. Each
program normalises a BLOCK_M x BLOCK_N tile holding BLOCK_M whole rows, so a program
still moves a few thousand elements when rows are only tens of elements long. The
variance is taken around the mean (two passes over registers), so it never cancels."""

import torch
import triton
import triton.language as tl

TILE_ELEMS = 4096  # elements per program (BLOCK_M * BLOCK_N), 16 per thread at 8 warps


@triton.jit
def _layer_norm_rows_kernel(x_ptr, w_ptr, b_ptr, out_ptr, M, N, stride_x, stride_o, eps,
                            BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    col_ok = cols < N
    mask = (rows[:, None] < M) & col_ok[None, :]
    # 64-bit row offsets: M * N may pass 2^31 (M up to ~1M rows of 1024).
    r64 = rows.to(tl.int64)
    x = tl.load(x_ptr + r64[:, None] * stride_x + cols[None, :], mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=1) / N
    # Padding lanes (past N, or rows past M) must add nothing to the variance.
    d = tl.where(mask, x - mean[:, None], 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(d * d, axis=1) / N + eps)
    # weight and bias are loaded once per program and shared by its BLOCK_M rows.
    w = tl.load(w_ptr + cols, mask=col_ok, other=0.0).to(tl.float32)
    b = tl.load(b_ptr + cols, mask=col_ok, other=0.0).to(tl.float32)
    y = d * rstd[:, None] * w[None, :] + b[None, :]
    tl.store(out_ptr + r64[:, None] * stride_o + cols[None, :], y.to(out_ptr.dtype.element_ty),
             mask=mask)


def layer_norm_triton(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                      eps: float) -> torch.Tensor:
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if m == 0:
        return out
    block_n = triton.next_power_of_2(n)
    block_m = max(1, TILE_ELEMS // block_n)
    # Small tiles (very short rows, few rows) need fewer warps to avoid idle lanes.
    warps = 8 if block_m * block_n >= 4096 else 4
    grid = (triton.cdiv(m, block_m),)
    _layer_norm_rows_kernel[grid](x, weight, bias, out, m, n, x.stride(0), out.stride(0), eps,
                                  BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    return out
