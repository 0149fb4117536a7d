"""Ground truth for fused_rotary_embedding: one program rotates BLOCK_H heads of one
token. It computes that token's angles pos * theta^(-2i/d) and their cos/sin once, in
float32, and applies them to every head; the interleaved pairs (2i, 2i+1) are split out
of a contiguous (BLOCK_H, BLOCK_D) tile so that loads and stores stay vectorised."""

import math

import torch
import triton
import triton.language as tl


@triton.jit
def _fused_rope_kernel(x_ptr, pos_ptr, out_ptr, n_heads, log2_theta,
                       HEAD_DIM: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    tok = tl.program_id(0)
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)
    mask = (heads[:, None] < n_heads) & (cols[None, :] < HEAD_DIM)
    # 64-bit offsets: tokens * heads * head_dim may pass 2^31.
    offs = (tok.to(tl.int64) * n_heads + heads[:, None]) * HEAD_DIM + cols[None, :]
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    # Pairs (2i, 2i+1) are adjacent: view the tile as (BLOCK_H, BLOCK_D/2, 2) and split.
    x_even, x_odd = tl.split(tl.reshape(x, (BLOCK_H, BLOCK_D // 2, 2)))

    # inv_freq_i = theta^(-2i/d) = 2^(-2i/d * log2(theta)); angle = position * inv_freq.
    pos = tl.load(pos_ptr + tok).to(tl.float32)
    i = tl.arange(0, BLOCK_D // 2).to(tl.float32)
    angle = pos * tl.exp2(i * (-2.0 / HEAD_DIM) * log2_theta)
    c = tl.cos(angle)[None, :]
    s = tl.sin(angle)[None, :]

    out_even = x_even * c - x_odd * s
    out_odd = x_odd * c + x_even * s
    out = tl.reshape(tl.join(out_even, out_odd), (BLOCK_H, BLOCK_D))
    tl.store(out_ptr + offs, out.to(out_ptr.dtype.element_ty), mask=mask)


def fused_rotary_embedding(q: torch.Tensor, positions: torch.Tensor, theta: float) -> torch.Tensor:
    q, positions = q.contiguous(), positions.contiguous()
    n_tokens, n_heads, head_dim = q.shape
    out = torch.empty_like(q)
    if n_tokens == 0:
        return out
    block_d = triton.next_power_of_2(head_dim)
    # About 2K elements per program.
    block_h = min(triton.next_power_of_2(n_heads), max(1, 2048 // block_d))
    grid = (n_tokens, triton.cdiv(n_heads, block_h))
    _fused_rope_kernel[grid](q, positions, out, n_heads, math.log2(theta),
                             HEAD_DIM=head_dim, BLOCK_H=block_h, BLOCK_D=block_d, num_warps=4)
    return out
