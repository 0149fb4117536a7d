"""Ground truth for rotary_transform_ops: q and k are strided views into a fused
(batch, seq, 3, heads, head_dim) qkv buffer. One program handles BLOCK_H heads of one
(batch, position) row of both q and k: it loads the position's cos/sin once, reads the
two strided tiles (each head's head_dim channels are contiguous, so loads stay
coalesced) and writes contiguous outputs. Pairs are interleaved: (2i, 2i+1)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _rotate_pairs(src_ptr, dst_ptr, src_offs, dst_offs, mask, cos, sin,
                  BLOCK_H: tl.constexpr, BLOCK_D: tl.constexpr):
    x = tl.load(src_ptr + src_offs, mask=mask, other=0.0).to(tl.float32)
    x_even, x_odd = tl.split(tl.reshape(x, (BLOCK_H, BLOCK_D // 2, 2)))
    out = tl.join(x_even * cos - x_odd * sin, x_odd * cos + x_even * sin)
    tl.store(dst_ptr + dst_offs, tl.reshape(out, (BLOCK_H, BLOCK_D)).to(dst_ptr.dtype.element_ty),
             mask=mask)


@triton.jit
def _qk_strided_rope_kernel(q_ptr, k_ptr, cos_ptr, sin_ptr, qo_ptr, ko_ptr, seq_len, n_heads,
                            q_sb, q_ss, q_sh, k_sb, k_ss, k_sh,
                            HEAD_DIM: tl.constexpr, BLOCK_H: tl.constexpr,
                            BLOCK_D: tl.constexpr):
    row = tl.program_id(0)  # flattened (batch, position)
    b = (row // seq_len).to(tl.int64)  # 64-bit: the fused buffer may pass 2^31 elements
    s = (row % seq_len).to(tl.int64)
    heads = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    cols = tl.arange(0, BLOCK_D)
    mask = (heads[:, None] < n_heads) & (cols[None, :] < HEAD_DIM)

    # cos/sin of this position, one value per pair: (1, BLOCK_D / 2).
    half_cols = tl.arange(0, BLOCK_D // 2)
    hmask = half_cols < HEAD_DIM // 2
    cos = tl.load(cos_ptr + s * (HEAD_DIM // 2) + half_cols, mask=hmask, other=0.0)
    sin = tl.load(sin_ptr + s * (HEAD_DIM // 2) + half_cols, mask=hmask, other=0.0)
    cos = cos.to(tl.float32)[None, :]
    sin = sin.to(tl.float32)[None, :]

    dst = (row.to(tl.int64) * n_heads + heads[:, None]) * HEAD_DIM + cols[None, :]
    q_src = b * q_sb + s * q_ss + heads[:, None].to(tl.int64) * q_sh + cols[None, :]
    k_src = b * k_sb + s * k_ss + heads[:, None].to(tl.int64) * k_sh + cols[None, :]
    _rotate_pairs(q_ptr, qo_ptr, q_src, dst, mask, cos, sin, BLOCK_H, BLOCK_D)
    _rotate_pairs(k_ptr, ko_ptr, k_src, dst, mask, cos, sin, BLOCK_H, BLOCK_D)


def rotary_transform_ops(qkv: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor):
    if qkv.stride(-1) != 1:
        qkv = qkv.contiguous()
    cos, sin = cos.contiguous(), sin.contiguous()
    q, k = qkv[:, :, 0], qkv[:, :, 1]  # strided (batch, seq, heads, head_dim) views
    batch, seq, heads, head_dim = q.shape
    q_out = torch.empty((batch, seq, heads, head_dim), device=qkv.device, dtype=qkv.dtype)
    k_out = torch.empty_like(q_out)
    if q_out.numel() == 0:
        return q_out, k_out
    block_d = triton.next_power_of_2(head_dim)
    # About 1K elements of each of q and k per program.
    block_h = min(triton.next_power_of_2(heads), max(1, 1024 // block_d))
    grid = (batch * seq, triton.cdiv(heads, block_h))
    _qk_strided_rope_kernel[grid](q, k, cos, sin, q_out, k_out, seq, heads,
                                  q.stride(0), q.stride(1), q.stride(2),
                                  k.stride(0), k.stride(1), k.stride(2),
                                  HEAD_DIM=head_dim, BLOCK_H=block_h, BLOCK_D=block_d,
                                  num_warps=4)
    return q_out, k_out
