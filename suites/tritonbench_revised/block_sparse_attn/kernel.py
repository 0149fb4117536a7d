"""Ground truth for block_sparse_attn: block-sparse causal attention.
A first small kernel compacts each layout row (h, i) into the ascending list of allowed
key blocks j < i and their count (a prefix sum over the row). The attention kernel then
gives one program to each (query block, batch, head): it walks only the listed key
blocks, unmasked (they lie wholly before the query block and inside the sequence), then
the diagonal block with the causal and sequence-end masks, keeping an online softmax in
float32. Disallowed blocks are never loaded. Tiles are one sparsity block square."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _compact_layout_kernel(layout_ptr, lut_ptr, count_ptr, NB, BLOCK_NB: tl.constexpr):
    row = tl.program_id(0)  # h * NB + i
    i = row % NB
    j = tl.arange(0, BLOCK_NB)
    flag = tl.load(layout_ptr + row.to(tl.int64) * NB + j, mask=j < NB, other=0)
    keep = (flag != 0) & (j < i)  # the diagonal is handled apart; j > i never counts
    slot = tl.cumsum(keep.to(tl.int32), 0) - 1
    tl.store(lut_ptr + row.to(tl.int64) * NB + slot, j, mask=keep)
    tl.store(count_ptr + row, tl.sum(keep.to(tl.int32), 0))


@triton.jit
def _block_sparse_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, lut_ptr, count_ptr,
                              S, H, NB, qk_scale,
                              HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                              BLOCK: tl.constexpr, UPCAST: tl.constexpr):
    i = NB - 1 - tl.program_id(0)  # late query blocks (longest lists, usually) first
    bh = tl.program_id(1)
    h = bh % H
    base = bh.to(tl.int64) * S * HEAD_DIM
    rows = i * BLOCK + tl.arange(0, BLOCK)
    dd = tl.arange(0, BLOCK_D)
    r = tl.arange(0, BLOCK)
    d_ok = dd < HEAD_DIM
    FULL_D: tl.constexpr = HEAD_DIM == BLOCK_D
    io_mask = (rows[:, None] < S) & d_ok[None, :]
    q = tl.load(q_ptr + base + rows[:, None] * HEAD_DIM + dd[None, :], mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)
    k_head = k_ptr + base
    v_head = v_ptr + base

    acc = tl.zeros([BLOCK, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK], dtype=tl.float32)
    lut_row = lut_ptr + (h * NB + i).to(tl.int64) * NB
    n_blocks = tl.load(count_ptr + h * NB + i)
    # Listed blocks j < i: every key precedes every query row and is < S. Each one is
    # whole, so the running max is finite from the first on.
    for t in range(0, n_blocks):
        j = tl.load(lut_row + t)
        offs = (j * BLOCK + r)[:, None] * HEAD_DIM + dd[None, :]
        if FULL_D:
            k = tl.load(k_head + offs)
            v = tl.load(v_head + offs)
        else:
            k = tl.load(k_head + offs, mask=d_ok[None, :], other=0.0)
            v = tl.load(v_head + offs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * qk_scale
        m_new = tl.maximum(m_i, tl.max(s, 1))
        alpha = tl.math.exp2(m_i - m_new)
        p = tl.math.exp2(s - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    # The diagonal block: causal mask, and the sequence end in the last block. Key
    # i * BLOCK is valid for every row, so rows that saw no listed block stay finite.
    offs = rows[:, None] * HEAD_DIM + dd[None, :]
    k = tl.load(k_head + offs, mask=io_mask, other=0.0)
    v = tl.load(v_head + offs, mask=io_mask, other=0.0)
    if UPCAST:
        k = k.to(tl.float32)
        v = v.to(tl.float32)
    s = tl.dot(q, tl.trans(k)) * qk_scale
    s = tl.where(rows[None, :] <= rows[:, None], s, float("-inf"))
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])

    out = acc / l_i[:, None]
    tl.store(o_ptr + base + offs, out.to(o_ptr.dtype.element_ty), mask=io_mask)


def block_sparse_attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, layout: torch.Tensor,
                      block: int, sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    layout = layout.contiguous()
    batch, heads, seq, head_dim = q.shape
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    nb = layout.shape[1]
    lut = torch.empty((heads, nb, nb), device=q.device, dtype=torch.int32)
    count = torch.empty((heads, nb), device=q.device, dtype=torch.int32)
    _compact_layout_kernel[(heads * nb,)](layout, lut, count, nb,
                                          BLOCK_NB=max(16, triton.next_power_of_2(nb)))

    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        warps, stages = 4, 1
    elif torch.version.hip:
        warps, stages = (8 if block >= 128 else 4), 1
    else:
        # Hopper: a 64 x 128 tile pair per stage is 32 KB (3 stages); 128-token blocks
        # take 8 warps and 2 stages (64 KB each).
        warps, stages = (8, 2) if block >= 128 else (4, 3)
    grid = (nb, batch * heads)
    _block_sparse_attn_kernel[grid](
        q, k, v, out, lut, count, seq, heads, nb, sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK=block,
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out
