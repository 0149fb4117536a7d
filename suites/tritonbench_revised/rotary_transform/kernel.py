"""Ground truth for rotary_transform: rotate-half RoPE with linear position scaling.
One program rotates BLOCK_H heads of one (batch, position) row; it computes that row's
angles (position / scale) * base^(-2i/d) and their cos/sin once in float32 and shares
them across the heads."""

import math

import torch
import triton
import triton.language as tl


@triton.jit
def _scaled_rope_kernel(x_ptr, out_ptr, seq_len, n_heads, inv_scale, log2_base,
                        HALF: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)  # index within a half, masked past HALF
    col_ok = cols < HALF

    # Scaled position t = position / scale; inv_freq_i = base^(-i/HALF) = 2^(-i/HALF * log2 base).
    t = (row % seq_len).to(tl.float32) * inv_scale
    angle = t * tl.exp2(cols.to(tl.float32) * (-1.0 / HALF) * log2_base)
    cos = tl.cos(angle)[None, :]
    sin = tl.sin(angle)[None, :]

    mask = (heads[:, None] < n_heads) & col_ok[None, :]
    # 64-bit offsets: batch * seq * heads * head_dim may pass 2^31.
    offs = (row.to(tl.int64) * n_heads + heads[:, None]) * (2 * HALF) + cols[None, :]
    x1 = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    x2 = tl.load(x_ptr + offs + HALF, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + offs, (x1 * cos - x2 * sin).to(out_ptr.dtype.element_ty), mask=mask)
    tl.store(out_ptr + offs + HALF, (x2 * cos + x1 * sin).to(out_ptr.dtype.element_ty), mask=mask)


def rotary_transform(x: torch.Tensor, base: float, scale: float) -> torch.Tensor:
    x = x.contiguous()
    batch, seq, heads, head_dim = x.shape
    out = torch.empty_like(x)
    if out.numel() == 0:
        return out
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    # About 2K elements (both halves) per program.
    block_h = min(triton.next_power_of_2(heads), max(1, 1024 // block_d))
    grid = (batch * seq, triton.cdiv(heads, block_h))
    _scaled_rope_kernel[grid](x, out, seq, heads, 1.0 / scale, math.log2(base),
                              HALF=half, BLOCK_H=block_h, BLOCK_D=block_d, num_warps=4)
    return out
