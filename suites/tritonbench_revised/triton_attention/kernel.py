"""Ground truth for triton_attention: non-causal attention plus an additive (B, 1, Sq, Sk)
mask shared by the heads. Program (h, m, b) holds BLOCK_M query rows of head h; it streams
the key/value tiles and the matching mask tile, adds the mask (times log2 e) to the scaled
scores and keeps an online softmax in float32. Heads are the fastest grid axis, so the
programs running together read the same mask rows and share them in L2. A masked tile
can be entirely -inf for a row (a left-padded batch), so the running max is guarded."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _masked_tiles(acc, m_i, l_i, q, k_head, v_head, bias_rows, rows, dd, lo, hi, SQ, SK,
                  qk_scale, HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
                  TAIL: tl.constexpr, UPCAST: tl.constexpr):
    """Key tiles [lo, hi); TAIL tiles may run past Sk. bias_rows points at the mask rows
    of this program's queries."""
    d_ok = dd < HEAD_DIM
    row_ok = rows < SQ
    FULL_D: tl.constexpr = HEAD_DIM == dd.shape[0]
    for n0 in range(lo, hi, BLOCK_N):
        cols = n0 + tl.arange(0, BLOCK_N)
        kv_offs = cols[:, None] * HEAD_DIM + dd[None, :]
        if TAIL:
            kv_mask = (cols[:, None] < SK) & d_ok[None, :]
            k = tl.load(k_head + kv_offs, mask=kv_mask, other=0.0)
            v = tl.load(v_head + kv_offs, mask=kv_mask, other=0.0)
        elif FULL_D:
            k = tl.load(k_head + kv_offs)
            v = tl.load(v_head + kv_offs)
        else:
            k = tl.load(k_head + kv_offs, mask=d_ok[None, :], other=0.0)
            v = tl.load(v_head + kv_offs, mask=d_ok[None, :], other=0.0)
        if TAIL:
            bmask = row_ok[:, None] & (cols[None, :] < SK)
        else:
            bmask = row_ok[:, None]
        bias = tl.load(bias_rows + cols[None, :], mask=bmask, other=0.0).to(tl.float32)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * qk_scale + bias * 1.4426950408889634
        if TAIL:
            s = tl.where(cols[None, :] < SK, s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, 1))
        # A row with no finite score yet has m_new = -inf: shift by 0 instead, so that
        # p = exp2(-inf) = 0 and alpha = 0 rather than NaN from -inf - -inf.
        m_ref = tl.where(m_new == float("-inf"), 0.0, m_new)
        alpha = tl.math.exp2(m_i - m_ref)
        p = tl.math.exp2(s - m_ref[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, m_i, l_i


@triton.jit
def _mask_attn_kernel(q_ptr, k_ptr, v_ptr, mask_ptr, o_ptr, H, SQ, SK, qk_scale,
                      HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                      BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    h = tl.program_id(0)
    pid_m = tl.program_id(1)
    b = tl.program_id(2).to(tl.int64)
    bh = b * H + h
    q_head = q_ptr + bh * SQ * HEAD_DIM
    o_head = o_ptr + bh * SQ * HEAD_DIM
    k_head = k_ptr + bh * SK * HEAD_DIM
    v_head = v_ptr + bh * SK * HEAD_DIM

    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    dd = tl.arange(0, BLOCK_D)
    io_mask = (rows[:, None] < SQ) & (dd[None, :] < HEAD_DIM)
    q_offs = rows[:, None] * HEAD_DIM + dd[None, :]
    q = tl.load(q_head + q_offs, mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)
    bias_rows = mask_ptr + b * SQ * SK + rows[:, None].to(tl.int64) * SK

    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    full = (SK // BLOCK_N) * BLOCK_N
    acc, m_i, l_i = _masked_tiles(acc, m_i, l_i, q, k_head, v_head, bias_rows, rows, dd,
                                  0, full, SQ, SK, qk_scale, HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, m_i, l_i = _masked_tiles(acc, m_i, l_i, q, k_head, v_head, bias_rows, rows, dd,
                                  full, SK, SQ, SK, qk_scale, HEAD_DIM, BLOCK_N, True, UPCAST)
    # Every real row kept a key, so l_i > 0 there; padded rows are not stored.
    out = acc / l_i[:, None]
    tl.store(o_head + q_offs, out.to(o_ptr.dtype.element_ty), mask=io_mask)


def triton_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor,
                     sm_scale: float) -> torch.Tensor:
    q, k, v, mask = q.contiguous(), k.contiguous(), v.contiguous(), mask.contiguous()
    batch, heads, sq, head_dim = q.shape
    sk = k.shape[2]
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # Hopper: Q tile 32 KB, 3 stages of K, V and mask tiles (16 + 16 + 16 KB each).
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (heads, triton.cdiv(sq, block_m), batch)
    _mask_attn_kernel[grid](
        q, k, v, mask, out, heads, sq, sk, sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out
