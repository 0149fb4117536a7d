"""Ground truth for chunk_cumsum_kernel: within-chunk inclusive prefix sums along T.
Each program loads a contiguous run of BLOCK_T = ROWS * C elements of one (b, h) row as a
(ROWS, C) tile (row-major, so the load is fully coalesced) and scans along its second
axis: every chunk of C positions is one tile row, and chunks never mix."""

import torch
import triton
import triton.language as tl


@triton.jit
def _chunk_cumsum_kernel(g_ptr, out_ptr, T, C: tl.constexpr, ROWS: tl.constexpr):
    pid_t = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * T may pass 2^31
    t0 = pid_t * (ROWS * C)
    t = t0 + tl.arange(0, ROWS)[:, None] * C + tl.arange(0, C)[None, :]
    mask = t < T
    # Padding lanes read 0: they sit at the end of the last (partial) chunk, after every
    # valid position of it, so they never add into a stored prefix sum.
    x = tl.load(g_ptr + bh * T + t, mask=mask, other=0.0).to(tl.float32)
    y = tl.cumsum(x, axis=1)
    tl.store(out_ptr + bh * T + t, y, mask=mask)


def chunk_cumsum_kernel(g: torch.Tensor, chunk_size: int) -> torch.Tensor:
    b, h, t = g.shape
    assert chunk_size in (16, 32, 64)
    out = torch.empty((b, h, t), device=g.device, dtype=torch.float32)
    # 2048 positions (8 KiB fp32) per program, fewer when the whole row is shorter.
    block_t = max(chunk_size, min(2048, triton.next_power_of_2(t)))
    grid = (triton.cdiv(t, block_t), b * h)
    _chunk_cumsum_kernel[grid](g, out, t, C=chunk_size, ROWS=block_t // chunk_size, num_warps=4)
    return out
