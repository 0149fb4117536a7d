"""Ground truth for masked_select: a single-program scan turns the row mask into each
kept row's output position (an exclusive prefix sum, BLOCK rows at a time) and the kept
count; the host reads the count to size the output, then a copy kernel moves every kept
row (contiguous) to its position."""

import torch
import triton
import triton.language as tl


@triton.jit
def _scan_kernel(mask_ptr, pos_ptr, count_ptr, N, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    total = tl.zeros([], dtype=tl.int64)
    for start in range(0, N, BLOCK):
        rows = start + offs
        keep = (tl.load(mask_ptr + rows, mask=rows < N, other=0) != 0).to(tl.int64)
        incl = tl.cumsum(keep, axis=0)
        tl.store(pos_ptr + rows, total + incl - keep, mask=rows < N)
        total += tl.sum(keep, axis=0)
    tl.store(count_ptr, total)


@triton.jit
def _gather_rows_kernel(x_ptr, mask_ptr, pos_ptr, out_ptr, N, D, stride_x, stride_o,
                        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)
    row_ok = rows < N
    keep = (tl.load(mask_ptr + rows, mask=row_ok, other=0) != 0) & row_ok
    dst = tl.load(pos_ptr + rows, mask=keep, other=0)  # int64 positions
    m = keep[:, None] & (cols[None, :] < D)
    vals = tl.load(x_ptr + rows.to(tl.int64)[:, None] * stride_x + cols[None, :], mask=m)
    tl.store(out_ptr + dst[:, None] * stride_o + cols[None, :], vals, mask=m)


def masked_select(x, mask):
    n, d = x.shape
    mask_u8 = mask.view(torch.uint8)  # bool bytes are 0 or 1
    pos = torch.empty(n, device=x.device, dtype=torch.int64)
    count = torch.zeros(1, device=x.device, dtype=torch.int64)
    if n > 0:
        # 4096 rows per scan step: 16 steps for 64K rows.
        _scan_kernel[(1,)](mask_u8, pos, count, n, BLOCK=4096, num_warps=8)
    k = int(count.item())  # the output size depends on the data: one host sync
    out = torch.empty((k, d), device=x.device, dtype=x.dtype)
    if k == 0 or d == 0:
        return out
    block_n = min(1024, triton.next_power_of_2(d))
    block_m = max(1, 4096 // block_n)
    grid = (triton.cdiv(n, block_m), triton.cdiv(d, block_n))
    _gather_rows_kernel[grid](x, mask_u8, pos, out, n, d, x.stride(0), out.stride(0),
                              BLOCK_M=block_m, BLOCK_N=block_n, num_warps=4)
    return out
