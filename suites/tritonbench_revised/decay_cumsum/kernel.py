"""Ground truth for decay_cumsum: cumulative decay factors exp(within-chunk prefix sum of
log-decays) over chunks of 64 positions. Each program loads a contiguous run of
ROWS * 64 positions of one (b, h) row as a (ROWS, 64) tile (row-major, fully coalesced),
scans each tile row (one chunk) in float32 and exponentiates."""

import torch
import triton
import triton.language as tl

CHUNK = 64


@triton.jit
def _decay_cumsum_kernel(g_ptr, out_ptr, T, C: tl.constexpr, ROWS: tl.constexpr):
    pid_t = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * T may pass 2^31
    t = pid_t * (ROWS * C) + tl.arange(0, ROWS)[:, None] * C + tl.arange(0, C)[None, :]
    mask = t < T
    # Padding lanes read 0 and follow every valid position of the last chunk: they never
    # reach a stored prefix sum.
    g = tl.load(g_ptr + bh * T + t, mask=mask, other=0.0).to(tl.float32)
    s = tl.cumsum(g, axis=1)
    tl.store(out_ptr + bh * T + t, tl.exp(s), mask=mask)


def decay_cumsum(g: torch.Tensor) -> torch.Tensor:
    b, h, t = g.shape
    out = torch.empty((b, h, t), device=g.device, dtype=torch.float32)
    # 2048 positions (32 chunks) per program, fewer when the whole row is shorter.
    block_t = max(CHUNK, min(2048, triton.next_power_of_2(t)))
    grid = (triton.cdiv(t, block_t), b * h)
    _decay_cumsum_kernel[grid](g, out, t, C=CHUNK, ROWS=block_t // CHUNK, num_warps=4)
    return out
