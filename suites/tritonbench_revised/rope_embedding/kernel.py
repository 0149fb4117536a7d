"""Ground truth for rope_embedding: one program rotates BLOCK_H heads of one
(batch, position) row, loading that position's cos and sin once for all of them."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rope_kernel(q_ptr, cos_ptr, sin_ptr, out_ptr, seq_len, n_heads,
                 HALF: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    pos = row % seq_len
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)  # index within a half; BLOCK_D >= HALF, masked
    col_mask = cols < HALF
    mask = (heads[:, None] < n_heads) & col_mask[None, :]

    cos = tl.load(cos_ptr + pos * HALF + cols, mask=col_mask, other=0.0).to(tl.float32)[None, :]
    sin = tl.load(sin_ptr + pos * HALF + cols, mask=col_mask, other=0.0).to(tl.float32)[None, :]

    # 64-bit offsets: batch * seq * heads * head_dim may exceed 2^31.
    offs = (row.to(tl.int64) * n_heads + heads[:, None]) * (2 * HALF) + cols[None, :]
    # Compute in float32 (also needed for bf16 in the CPU interpreter), round once.
    x1 = tl.load(q_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    x2 = tl.load(q_ptr + offs + HALF, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + offs, (x1 * cos - x2 * sin).to(out_ptr.dtype.element_ty), mask=mask)
    tl.store(out_ptr + offs + HALF, (x2 * cos + x1 * sin).to(out_ptr.dtype.element_ty), mask=mask)


def rope_embedding(q: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    q, cos, sin = q.contiguous(), cos.contiguous(), sin.contiguous()
    batch, seq, heads, head_dim = q.shape
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    # About 2K elements (both halves) per program.
    block_h = min(triton.next_power_of_2(heads), max(1, 1024 // block_d))
    grid = (batch * seq, triton.cdiv(heads, block_h))
    _rope_kernel[grid](q, cos, sin, out, seq, heads,
                       HALF=half, BLOCK_H=block_h, BLOCK_D=block_d)
    return out
