"""Ground truth for l2_norm_triton1: y = x / sqrt(sum(x^2) + eps) over the last dim of a
tensor with any leading dims, seen as (M, D) rows. Rows up to MAX_TILE wide are held in
registers (short rows packed BLOCK_M to a program); wider rows are streamed twice in
TILE-wide chunks (a sum-of-squares pass, then a scaling pass)."""

import torch
import triton
import triton.language as tl

MAX_TILE = 8192  # widest row kept whole in registers
TILE = 4096      # chunk width when streaming a wider row


@triton.jit
def _l2_norm_rows_kernel(x_ptr, y_ptr, M, D, eps, BLOCK_M: tl.constexpr, BLOCK_D: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_D)
    mask = (rows < M)[:, None] & (cols < D)[None, :]
    offs = rows.to(tl.int64)[:, None] * D + cols[None, :]  # 64-bit: M * D may pass 2^31
    # Padding lanes read 0 and add nothing to the sum of squares. Squares are taken in
    # float32: float16 inputs past 256 would overflow their own dtype.
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    r = tl.rsqrt(tl.sum(x * x, axis=1) + eps)
    tl.store(y_ptr + offs, (x * r[:, None]).to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _l2_norm_wide_kernel(x_ptr, y_ptr, D, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    x_row = x_ptr + row * D
    y_row = y_ptr + row * D
    cols = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], tl.float32)
    for start in range(0, D, BLOCK):
        x = tl.load(x_row + start + cols, mask=start + cols < D, other=0.0).to(tl.float32)
        acc += x * x
    r = tl.rsqrt(tl.sum(acc, axis=0) + eps)
    for start in range(0, D, BLOCK):
        mask = start + cols < D
        x = tl.load(x_row + start + cols, mask=mask, other=0.0).to(tl.float32)
        tl.store(y_row + start + cols, (x * r).to(y_ptr.dtype.element_ty), mask=mask)


def l2_norm_triton1(x: torch.Tensor, eps: float) -> torch.Tensor:
    d = x.shape[-1]
    m = x.numel() // d
    y = torch.empty_like(x)
    block_d = triton.next_power_of_2(d)
    if block_d <= MAX_TILE:
        # ~2048 elements per program (up to 64 rows): 8-16 elements per thread.
        block_m = max(1, min(64, 2048 // block_d))
        tile = block_m * block_d
        warps = 4 if tile <= 2048 else 8
        _l2_norm_rows_kernel[(triton.cdiv(m, block_m),)](x, y, m, d, eps, BLOCK_M=block_m,
                                                         BLOCK_D=block_d, num_warps=warps)
    else:
        _l2_norm_wide_kernel[(m,)](x, y, d, eps, BLOCK=TILE, num_warps=8)
    return y
