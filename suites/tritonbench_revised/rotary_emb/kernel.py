"""Ground truth for rotary_emb: x is (batch, heads, seq, head_dim). One program owns a
BLOCK_S x head_dim tile of positions for HEADS_PER_PROG heads of one batch row: it loads
the tile's full-width cos/sin once and reuses them for each of those heads."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rotary_bhsd_kernel(x_ptr, cos_ptr, sin_ptr, out_ptr, n_heads, seq_len,
                        HALF: tl.constexpr, BLOCK_S: tl.constexpr, BLOCK_D: tl.constexpr,
                        HEADS_PER_PROG: tl.constexpr):
    s_blk = tl.program_id(0)
    pid1 = tl.program_id(1)  # (batch, head group)
    groups = tl.cdiv(n_heads, HEADS_PER_PROG)
    b = pid1 // groups
    h0 = (pid1 % groups) * HEADS_PER_PROG

    rows = s_blk * BLOCK_S + tl.arange(0, BLOCK_S)
    cols = tl.arange(0, BLOCK_D)  # index within a half, masked past HALF
    mask = (rows[:, None] < seq_len) & (cols[None, :] < HALF)
    # Full-width tables: the two halves of a row may differ, so load both.
    t_offs = rows[:, None] * (2 * HALF) + cols[None, :]
    cos1 = tl.load(cos_ptr + t_offs, mask=mask, other=0.0).to(tl.float32)
    cos2 = tl.load(cos_ptr + t_offs + HALF, mask=mask, other=0.0).to(tl.float32)
    sin1 = tl.load(sin_ptr + t_offs, mask=mask, other=0.0).to(tl.float32)
    sin2 = tl.load(sin_ptr + t_offs + HALF, mask=mask, other=0.0).to(tl.float32)

    for j in range(HEADS_PER_PROG):
        h = h0 + j
        m = mask & (h < n_heads)
        # 64-bit offsets: batch * heads * seq * head_dim may pass 2^31.
        plane = (b.to(tl.int64) * n_heads + h) * seq_len
        offs = (plane + rows[:, None]) * (2 * HALF) + cols[None, :]
        x1 = tl.load(x_ptr + offs, mask=m, other=0.0).to(tl.float32)
        x2 = tl.load(x_ptr + offs + HALF, mask=m, other=0.0).to(tl.float32)
        # out = x * cos + rotate_half(x) * sin, rotate_half(x) = (-x2, x1).
        tl.store(out_ptr + offs, (x1 * cos1 - x2 * sin1).to(out_ptr.dtype.element_ty), mask=m)
        tl.store(out_ptr + offs + HALF, (x2 * cos2 + x1 * sin2).to(out_ptr.dtype.element_ty), mask=m)


def rotary_emb(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    x, cos, sin = x.contiguous(), cos.contiguous(), sin.contiguous()
    batch, heads, seq, head_dim = x.shape
    out = torch.empty_like(x)
    if out.numel() == 0:
        return out
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    # About 1K elements per half per head; the cos/sin tile is reused by 4 heads.
    block_s = min(triton.next_power_of_2(seq), max(1, 1024 // block_d))
    heads_per_prog = min(4, heads)
    grid = (triton.cdiv(seq, block_s), batch * triton.cdiv(heads, heads_per_prog))
    _rotary_bhsd_kernel[grid](x, cos, sin, out, heads, seq, HALF=half, BLOCK_S=block_s,
                              BLOCK_D=block_d, HEADS_PER_PROG=heads_per_prog, num_warps=4)
    return out
