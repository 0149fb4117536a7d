"""Ground truth for rope_transform (partial rotary): one program handles BLOCK_H heads
of one (batch, position) row. It rotates the first rotary_dim channels of each head
(rotate-half within them, cos/sin loaded once per row) and copies the remaining
head_dim - rotary_dim channels unchanged."""

import torch
import triton
import triton.language as tl


@triton.jit
def _partial_rope_kernel(x_ptr, cos_ptr, sin_ptr, out_ptr, seq_len, n_heads,
                         HEAD_DIM: tl.constexpr, HALF: tl.constexpr, BLOCK_H: tl.constexpr,
                         BLOCK_R: tl.constexpr, BLOCK_P: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    pos = row % seq_len
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    head_ok = heads[:, None] < n_heads
    # 64-bit offsets: batch * seq * heads * head_dim may pass 2^31.
    base = (row.to(tl.int64) * n_heads + heads[:, None]) * HEAD_DIM

    # Rotary part: channels [0, HALF) pair with [HALF, 2 * HALF).
    r = tl.arange(0, BLOCK_R)
    r_ok = r < HALF
    cos = tl.load(cos_ptr + pos * HALF + r, mask=r_ok, other=0.0).to(tl.float32)[None, :]
    sin = tl.load(sin_ptr + pos * HALF + r, mask=r_ok, other=0.0).to(tl.float32)[None, :]
    m = head_ok & r_ok[None, :]
    offs = base + r[None, :]
    x1 = tl.load(x_ptr + offs, mask=m, other=0.0).to(tl.float32)
    x2 = tl.load(x_ptr + offs + HALF, mask=m, other=0.0).to(tl.float32)
    tl.store(out_ptr + offs, (x1 * cos - x2 * sin).to(out_ptr.dtype.element_ty), mask=m)
    tl.store(out_ptr + offs + HALF, (x2 * cos + x1 * sin).to(out_ptr.dtype.element_ty), mask=m)

    # Pass-through part: channels [2 * HALF, HEAD_DIM), copied bit for bit.
    p = 2 * HALF + tl.arange(0, BLOCK_P)
    mp = head_ok & (p[None, :] < HEAD_DIM)
    keep = tl.load(x_ptr + base + p[None, :], mask=mp)
    tl.store(out_ptr + base + p[None, :], keep, mask=mp)


def rope_transform(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    x, cos, sin = x.contiguous(), cos.contiguous(), sin.contiguous()
    batch, seq, heads, head_dim = x.shape
    half = cos.shape[1]  # rotary_dim // 2
    out = torch.empty_like(x)
    if out.numel() == 0:
        return out
    block_r = triton.next_power_of_2(half)
    block_p = triton.next_power_of_2(head_dim - 2 * half)
    # About 2K elements per program.
    block_h = min(triton.next_power_of_2(heads),
                  max(1, 2048 // triton.next_power_of_2(head_dim)))
    grid = (batch * seq, triton.cdiv(heads, block_h))
    _partial_rope_kernel[grid](x, cos, sin, out, seq, heads, HEAD_DIM=head_dim, HALF=half,
                               BLOCK_H=block_h, BLOCK_R=block_r, BLOCK_P=block_p, num_warps=4)
    return out
