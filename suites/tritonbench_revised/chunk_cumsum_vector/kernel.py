"""Ground truth for chunk_cumsum_vector: within-chunk inclusive prefix sums along T of a
(B, T, H, D) tensor. One program per (chunk, D-block, b * H + h): it loads the chunk's
(C, BLOCK_D) tile (each row BLOCK_D contiguous elements, rows H * D apart), scans it
along the first axis in float32 and stores it."""

import torch
import triton
import triton.language as tl


@triton.jit
def _chunk_cumsum_vector_kernel(g_ptr, out_ptr, T, H, D, C: tl.constexpr, BLOCK_D: tl.constexpr):
    pid_c = tl.program_id(0)
    pid_d = tl.program_id(1)
    bh = tl.program_id(2)
    b = (bh // H).to(tl.int64)  # 64-bit: B * T * H * D may pass 2^31
    h = bh % H
    t = pid_c * C + tl.arange(0, C)
    d = pid_d * BLOCK_D + tl.arange(0, BLOCK_D)
    mask = (t[:, None] < T) & (d[None, :] < D)
    offs = ((b * T + t[:, None]) * H + h) * D + d[None, :]
    # Rows past T read 0 and only follow the valid rows of the chunk: they never reach a
    # stored prefix sum.
    x = tl.load(g_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    y = tl.cumsum(x, axis=0)
    tl.store(out_ptr + offs, y, mask=mask)


def chunk_cumsum_vector(g: torch.Tensor, chunk_size: int) -> torch.Tensor:
    b, t, h, d = g.shape
    assert chunk_size in (16, 32, 64)
    out = torch.empty((b, t, h, d), device=g.device, dtype=torch.float32)
    block_d = min(64, triton.next_power_of_2(d))
    grid = (triton.cdiv(t, chunk_size), triton.cdiv(d, block_d), b * h)
    _chunk_cumsum_vector_kernel[grid](g, out, t, h, d, C=chunk_size, BLOCK_D=block_d, num_warps=4)
    return out
