"""Ground truth for triton_argmax: each program handles BLOCK_M rows, sweeping the
columns in BLOCK_N-wide tiles while every lane keeps its best value and the first column
where it occurred; at the end the lowest column among the lanes holding the row maximum
is the answer."""

import torch
import triton
import triton.language as tl


@triton.jit
def _row_argmax_kernel(x_ptr, out_ptr, M, N, stride_m,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    row_ok = rows < M
    # 64-bit row offsets: M * N may pass 2^31 elements.
    row_ptr = x_ptr + rows.to(tl.int64)[:, None] * stride_m
    cols = tl.arange(0, BLOCK_N)
    # The first tile seeds every lane (masked lanes read -inf with an index >= N, so a
    # row of all -inf still resolves to a real column below N).
    mask = row_ok[:, None] & (cols[None, :] < N)
    best = tl.load(row_ptr + cols[None, :], mask=mask, other=float("-inf")).to(tl.float32)
    best_idx = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.int32) + cols[None, :]
    for start in range(BLOCK_N, N, BLOCK_N):
        c = start + cols
        mask = row_ok[:, None] & (c[None, :] < N)
        x = tl.load(row_ptr + c[None, :], mask=mask, other=float("-inf")).to(tl.float32)
        # Strictly greater: a lane keeps the earliest column of its best value.
        better = x > best
        best = tl.where(better, x, best)
        best_idx = tl.where(better, c[None, :], best_idx)
    row_max = tl.max(best, axis=1)
    cand = tl.where(best == row_max[:, None], best_idx, 2147483647)
    tl.store(out_ptr + rows, tl.min(cand, axis=1).to(tl.int64), mask=row_ok)


def triton_argmax(x: torch.Tensor) -> torch.Tensor:
    m, n = x.shape
    out = torch.empty(m, dtype=torch.int64, device=x.device)
    if m == 0:
        return out
    # Tiles of ~4K elements; short rows share a program, long rows loop.
    block_n = min(2048, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)
    _row_argmax_kernel[(triton.cdiv(m, block_m),)](x, out, m, n, x.stride(0),
                                                   BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    return out
