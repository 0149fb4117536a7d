"""Ground truth for rope_backward_transform: the gradient of rotate-half RoPE is the
rotation by -angle. One program handles BLOCK_H heads of one (batch, position) row and
loads that position's cos and sin once for all of them."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rope_bwd_kernel(dy_ptr, cos_ptr, sin_ptr, dx_ptr, seq_len, n_heads,
                     HALF: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    pos = row % seq_len
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)  # index within a half, masked past HALF
    col_mask = cols < HALF
    mask = (heads[:, None] < n_heads) & col_mask[None, :]
    cos = tl.load(cos_ptr + pos * HALF + cols, mask=col_mask, other=0.0).to(tl.float32)[None, :]
    sin = tl.load(sin_ptr + pos * HALF + cols, mask=col_mask, other=0.0).to(tl.float32)[None, :]

    # 64-bit offsets: batch * seq * heads * head_dim may pass 2^31.
    offs = (row.to(tl.int64) * n_heads + heads[:, None]) * (2 * HALF) + cols[None, :]
    g1 = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    g2 = tl.load(dy_ptr + offs + HALF, mask=mask, other=0.0).to(tl.float32)
    # Forward: y1 = x1 c - x2 s, y2 = x2 c + x1 s. Its transpose rotates by -angle.
    tl.store(dx_ptr + offs, (g1 * cos + g2 * sin).to(dx_ptr.dtype.element_ty), mask=mask)
    tl.store(dx_ptr + offs + HALF, (g2 * cos - g1 * sin).to(dx_ptr.dtype.element_ty), mask=mask)


def rope_backward_transform(dy: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    dy, cos, sin = dy.contiguous(), cos.contiguous(), sin.contiguous()
    batch, seq, heads, head_dim = dy.shape
    dx = torch.empty_like(dy)
    if dx.numel() == 0:
        return dx
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    # About 2K elements (both halves) per program.
    block_h = min(triton.next_power_of_2(heads), max(1, 1024 // block_d))
    grid = (batch * seq, triton.cdiv(heads, block_h))
    _rope_bwd_kernel[grid](dy, cos, sin, dx, seq, heads,
                           HALF=half, BLOCK_H=block_h, BLOCK_D=block_d, num_warps=4)
    return dx
