"""Ground truth for reversed_cumsum: suffix (reverse inclusive) sums along T of a
(B, H, T, D) tensor. One program per (D-block, b * H + h) walks T backwards in
(BLOCK_T, BLOCK_D) tiles: it scans each tile in reverse along T, adds the float32 total
of all later tiles (a per-column carry) and stores; then the tile's column sums join the
carry. Every tile row is BLOCK_D contiguous elements, so loads and stores coalesce."""

import torch
import triton
import triton.language as tl

BLOCK_T = 64


@triton.jit
def _reversed_cumsum_kernel(x_ptr, out_ptr, T, D, BLOCK_T: tl.constexpr, BLOCK_D: tl.constexpr):
    pid_d = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * T * D may pass 2^31
    d = pid_d * BLOCK_D + tl.arange(0, BLOCK_D)
    d_mask = d < D
    base = bh * T * D
    carry = tl.zeros([BLOCK_D], dtype=tl.float32)
    n_tiles = tl.cdiv(T, BLOCK_T)
    for i in range(0, n_tiles):
        t = (n_tiles - 1 - i) * BLOCK_T + tl.arange(0, BLOCK_T)
        mask = (t[:, None] < T) & d_mask[None, :]
        offs = base + t[:, None].to(tl.int64) * D + d[None, :]
        # Rows past T (only in the first tile visited) read 0: they come after every
        # valid row, so they add nothing to a suffix sum.
        x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        y = tl.cumsum(x, axis=0, reverse=True) + carry[None, :]
        tl.store(out_ptr + offs, y.to(out_ptr.dtype.element_ty), mask=mask)
        carry += tl.sum(x, axis=0)


def reversed_cumsum(x: torch.Tensor) -> torch.Tensor:
    b, h, t, d = x.shape
    out = torch.empty_like(x)
    # 32 columns per program: B * H * D / 32 programs keep an H100 busy even though each
    # walks its whole sequence serially.
    block_d = min(32, triton.next_power_of_2(d))
    grid = (triton.cdiv(d, block_d), b * h)
    _reversed_cumsum_kernel[grid](x, out, t, d, BLOCK_T=BLOCK_T, BLOCK_D=block_d, num_warps=4)
    return out
