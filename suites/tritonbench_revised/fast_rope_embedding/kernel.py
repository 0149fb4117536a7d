"""Ground truth for fast_rope_embedding: a single launch rotates q and k. Axis 1 of the
grid enumerates head blocks of q followed by head blocks of k, so one program loads one
position's cos/sin once and rotates BLOCK_H heads of either tensor."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rotate_heads(src_ptr, dst_ptr, row, h0, n_heads, cos, sin,
                  HALF: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    heads = h0 + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)
    mask = (heads[:, None] < n_heads) & (cols[None, :] < HALF)
    # 64-bit offsets: batch * seq * heads * head_dim may pass 2^31.
    offs = (row.to(tl.int64) * n_heads + heads[:, None]) * (2 * HALF) + cols[None, :]
    x1 = tl.load(src_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    x2 = tl.load(src_ptr + offs + HALF, mask=mask, other=0.0).to(tl.float32)
    tl.store(dst_ptr + offs, (x1 * cos - x2 * sin).to(dst_ptr.dtype.element_ty), mask=mask)
    tl.store(dst_ptr + offs + HALF, (x2 * cos + x1 * sin).to(dst_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _qk_rope_kernel(q_ptr, k_ptr, cos_ptr, sin_ptr, qo_ptr, ko_ptr, seq_len, hq, hkv,
                    HALF: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    blk = tl.program_id(1)  # head block: q blocks first, then k blocks
    pos = row % seq_len
    cols = tl.arange(0, BLOCK_D)
    cmask = cols < HALF
    cos = tl.load(cos_ptr + pos * HALF + cols, mask=cmask, other=0.0).to(tl.float32)[None, :]
    sin = tl.load(sin_ptr + pos * HALF + cols, mask=cmask, other=0.0).to(tl.float32)[None, :]
    q_blocks = tl.cdiv(hq, BLOCK_H)
    if blk < q_blocks:
        _rotate_heads(q_ptr, qo_ptr, row, blk * BLOCK_H, hq, cos, sin, HALF, BLOCK_H, BLOCK_D)
    else:
        _rotate_heads(k_ptr, ko_ptr, row, (blk - q_blocks) * BLOCK_H, hkv, cos, sin,
                      HALF, BLOCK_H, BLOCK_D)


def fast_rope_embedding(q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor):
    q, k = q.contiguous(), k.contiguous()
    cos, sin = cos.contiguous(), sin.contiguous()
    batch, seq, hq, head_dim = q.shape
    hkv = k.shape[2]
    q_out, k_out = torch.empty_like(q), torch.empty_like(k)
    if batch * seq == 0:
        return q_out, k_out
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    # 1-2K elements (both halves) per program. GQA's k has few heads: a block no wider
    # than k's head count (but at least half the cap) keeps k's programs from idling.
    cap = max(1, 1024 // block_d)
    block_h = min(triton.next_power_of_2(hq), cap, max(triton.next_power_of_2(hkv), cap // 2))
    grid = (batch * seq, triton.cdiv(hq, block_h) + triton.cdiv(hkv, block_h))
    _qk_rope_kernel[grid](q, k, cos, sin, q_out, k_out, seq, hq, hkv,
                          HALF=half, BLOCK_H=block_h, BLOCK_D=block_d, num_warps=4)
    return q_out, k_out
