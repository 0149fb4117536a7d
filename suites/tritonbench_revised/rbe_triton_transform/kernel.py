"""Ground truth for rbe_triton_transform: one program rotates BLOCK_H heads of one
(batch, position) row of the flattened (batch, seq, heads * head_dim) projection. The
row's angles (start_pos + s) * 10000^(-2i/d) and their cos/sin are computed once in
float32 and shared by all heads; interleaved pairs are split out of a contiguous tile."""

import math

import torch
import triton
import triton.language as tl

LOG2_THETA = math.log2(10000.0)


@triton.jit
def _rbe_kernel(x_ptr, out_ptr, seq_len, n_heads, start_pos,
                HEAD_DIM: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr,
                LOG2_BASE: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)
    mask = (heads[:, None] < n_heads) & (cols[None, :] < HEAD_DIM)
    # Row width heads * head_dim; 64-bit offsets: batch * seq * width may pass 2^31.
    offs = row.to(tl.int64) * (n_heads * HEAD_DIM) + heads[:, None] * HEAD_DIM + cols[None, :]
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    x_even, x_odd = tl.split(tl.reshape(x, (BLOCK_H, BLOCK_D // 2, 2)))

    pos = (start_pos + row % seq_len).to(tl.float32)
    i = tl.arange(0, BLOCK_D // 2).to(tl.float32)
    angle = pos * tl.exp2(i * (-2.0 * LOG2_BASE / HEAD_DIM))
    c = tl.cos(angle)[None, :]
    s = tl.sin(angle)[None, :]

    out = tl.join(x_even * c - x_odd * s, x_odd * c + x_even * s)
    tl.store(out_ptr + offs, tl.reshape(out, (BLOCK_H, BLOCK_D)).to(out_ptr.dtype.element_ty),
             mask=mask)


def rbe_triton_transform(x: torch.Tensor, n_heads: int, start_pos: int) -> torch.Tensor:
    x = x.contiguous()
    batch, seq, width = x.shape
    head_dim = width // n_heads
    out = torch.empty_like(x)
    if out.numel() == 0:
        return out
    block_d = triton.next_power_of_2(head_dim)
    # About 2K elements per program.
    block_h = min(triton.next_power_of_2(n_heads), max(1, 2048 // block_d))
    grid = (batch * seq, triton.cdiv(n_heads, block_h))
    _rbe_kernel[grid](x, out, seq, n_heads, start_pos, HEAD_DIM=head_dim,
                      BLOCK_H=block_h, BLOCK_D=block_d, LOG2_BASE=LOG2_THETA, num_warps=4)
    return out
