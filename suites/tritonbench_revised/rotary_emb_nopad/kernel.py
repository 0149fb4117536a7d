"""Ground truth for rotary_emb_nopad: packed variable-length sequences. Program
(t_blk, h_blk) rotates BLOCK_T consecutive tokens x BLOCK_H heads. Each token finds its
sequence by a vectorised binary search over cu_seqlens (a few cached loads), so the work
is spread evenly however the sequence lengths are distributed, and no device-to-host
sync is needed."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rope_varlen_kernel(x_ptr, cu_ptr, cos_ptr, sin_ptr, out_ptr, n_tokens, n_seqs, n_heads,
                        HALF: tl.constexpr, BLOCK_T: tl.constexpr, BLOCK_H: tl.constexpr,
                        BLOCK_D: tl.constexpr, SEARCH_STEPS: tl.constexpr):
    tok = tl.program_id(0) * BLOCK_T + tl.arange(0, BLOCK_T)
    t_ok = tok < n_tokens
    # Largest b in [0, n_seqs) with cu[b] <= tok: the sequence holding tok (empty
    # sequences share their start with the next one and lose to it).
    lo = tl.zeros([BLOCK_T], dtype=tl.int32)
    hi = tl.zeros([BLOCK_T], dtype=tl.int32) + (n_seqs - 1)
    for _ in range(SEARCH_STEPS):
        mid = (lo + hi + 1) // 2
        ok = tl.load(cu_ptr + mid) <= tok
        lo = tl.where(ok, mid, lo)
        hi = tl.where(ok, hi, mid - 1)
    pos = tok - tl.load(cu_ptr + lo)  # offset within the sequence

    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)  # index within a half, masked past HALF
    c_ok = cols < HALF
    # cos/sin rows for these positions: (BLOCK_T, 1, BLOCK_D), shared by all heads.
    tmask = t_ok[:, None] & c_ok[None, :]
    t_offs = pos[:, None] * HALF + cols[None, :]
    cos = tl.load(cos_ptr + t_offs, mask=tmask, other=0.0).to(tl.float32)[:, None, :]
    sin = tl.load(sin_ptr + t_offs, mask=tmask, other=0.0).to(tl.float32)[:, None, :]

    # 64-bit offsets: tokens * heads * head_dim may pass 2^31.
    mask = (t_ok[:, None, None] & (heads[None, :, None] < n_heads)) & c_ok[None, None, :]
    offs = ((tok.to(tl.int64)[:, None, None] * n_heads + heads[None, :, None]) * (2 * HALF)
            + cols[None, None, :])
    x1 = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    x2 = tl.load(x_ptr + offs + HALF, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + offs, (x1 * cos - x2 * sin).to(out_ptr.dtype.element_ty), mask=mask)
    tl.store(out_ptr + offs + HALF, (x2 * cos + x1 * sin).to(out_ptr.dtype.element_ty), mask=mask)


def rotary_emb_nopad(x: torch.Tensor, cu_seqlens: torch.Tensor, cos: torch.Tensor,
                     sin: torch.Tensor) -> torch.Tensor:
    x, cu_seqlens = x.contiguous(), cu_seqlens.contiguous()
    cos, sin = cos.contiguous(), sin.contiguous()
    n_tokens, heads, head_dim = x.shape
    n_seqs = cu_seqlens.numel() - 1
    out = torch.empty_like(x)
    if n_tokens == 0 or n_seqs <= 0:
        return out
    half = head_dim // 2
    block_d = triton.next_power_of_2(half)
    block_h = min(triton.next_power_of_2(heads), 8)
    # About 2K elements (both halves) per program.
    block_t = max(1, 1024 // (block_h * block_d))
    # Halving [0, n_seqs - 1] down to one candidate takes ceil(log2(n_seqs)) steps.
    steps = max(1, (n_seqs - 1).bit_length())
    grid = (triton.cdiv(n_tokens, block_t), triton.cdiv(heads, block_h))
    _rope_varlen_kernel[grid](x, cu_seqlens, cos, sin, out, n_tokens, n_seqs, heads,
                              HALF=half, BLOCK_T=block_t, BLOCK_H=block_h, BLOCK_D=block_d,
                              SEARCH_STEPS=steps, num_warps=4)
    return out
