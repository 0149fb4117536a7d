"""Ground truth for parallel_attention: causal GQA attention over (B, T, H, D) tensors that
also returns the natural-log log-sum-exp of every query row. Program (m, h, b) holds a
BLOCK_M x D tile of queries of head h and walks the kv head's keys in BLOCK_N tiles up to
its diagonal, with an online softmax in float32 (log2 domain). At the end
lse = (m + log2(l)) * ln(2) and o = acc / l."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _online_step(acc, m_i, l_i, q, kt_ptrs, v_ptrs, kt_mask, v_mask, s_mask, qk_scale,
                 APPLY_MASK: tl.constexpr, LOAD_MASK: tl.constexpr, UPCAST: tl.constexpr):
    """One key tile: kt is loaded (BLOCK_D, BLOCK_N), so q @ kt is a plain product."""
    if LOAD_MASK:
        kt = tl.load(kt_ptrs, mask=kt_mask, other=0.0)
        v = tl.load(v_ptrs, mask=v_mask, other=0.0)
    else:
        kt = tl.load(kt_ptrs)
        v = tl.load(v_ptrs)
    if UPCAST:
        kt = kt.to(tl.float32)
        v = v.to(tl.float32)
    # The scale (times log2 e) multiplies the float32 scores: scaling q in its own dtype
    # would add a rounding of every q element, visible in the float32 lse.
    s = tl.dot(q, kt) * qk_scale
    if APPLY_MASK:
        s = tl.where(s_mask, s, float("-inf"))
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = acc * alpha[:, None]
    acc = tl.dot(p.to(v.dtype), v, acc)
    return acc, m_new, l_i


@triton.jit
def _parallel_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, lse_ptr, T, qk_scale,
                          HQ: tl.constexpr, HKV: tl.constexpr, HEAD_DIM: tl.constexpr,
                          BLOCK_D: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                          UPCAST: tl.constexpr):
    i_m = tl.num_programs(0) - 1 - tl.program_id(0)  # longest (last) query blocks first
    i_h = tl.program_id(1)
    i_b = tl.program_id(2).to(tl.int64)
    i_kv = i_h // (HQ // HKV)
    q_row = HQ * HEAD_DIM
    kv_row = HKV * HEAD_DIM
    q_base = q_ptr + i_b * T * q_row + i_h * HEAD_DIM
    o_base = o_ptr + i_b * T * q_row + i_h * HEAD_DIM
    k_base = k_ptr + i_b * T * kv_row + i_kv * HEAD_DIM
    v_base = v_ptr + i_b * T * kv_row + i_kv * HEAD_DIM

    LN2_C: tl.constexpr = 0.6931471805599453
    rows = i_m * BLOCK_M + tl.arange(0, BLOCK_M)
    dd = tl.arange(0, BLOCK_D)
    cols = tl.arange(0, BLOCK_N)
    d_ok = dd < HEAD_DIM
    row_ok = rows < T
    q = tl.load(q_base + rows[:, None] * q_row + dd[None, :],
                mask=row_ok[:, None] & d_ok[None, :], other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    kt_ptrs = k_base + cols[None, :] * kv_row + dd[:, None]
    v_ptrs = v_base + cols[:, None] * kv_row + dd[None, :]
    diag = i_m * BLOCK_M
    # Tiles left of the diagonal: every key is valid for every row of the block.
    for n0 in range(0, diag, BLOCK_N):
        acc, m_i, l_i = _online_step(acc, m_i, l_i, q, kt_ptrs + n0 * kv_row, v_ptrs + n0 * kv_row,
                                     d_ok[:, None], d_ok[None, :], None, qk_scale,
                                     False, HEAD_DIM != BLOCK_D, UPCAST)
    # Diagonal tiles: causal and sequence-end masks. Key `diag` is valid for every row,
    # so the running max is finite after the first tile.
    for n0 in range(diag, tl.minimum(diag + BLOCK_M, T), BLOCK_N):
        keys = n0 + cols
        acc, m_i, l_i = _online_step(acc, m_i, l_i, q, kt_ptrs + n0 * kv_row, v_ptrs + n0 * kv_row,
                                     d_ok[:, None] & (keys[None, :] < T),
                                     (keys[:, None] < T) & d_ok[None, :],
                                     keys[None, :] <= rows[:, None], qk_scale,
                                     True, True, UPCAST)

    o = acc / l_i[:, None]
    tl.store(o_base + rows[:, None] * q_row + dd[None, :], o.to(o_ptr.dtype.element_ty),
             mask=row_ok[:, None] & d_ok[None, :])
    lse = (m_i + tl.math.log2(l_i)) * LN2_C
    tl.store(lse_ptr + (i_b * T + rows) * HQ + i_h, lse, mask=row_ok)


def parallel_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, sm_scale: float):
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    batch, seq, hq, head_dim = q.shape
    hkv = k.shape[2]
    o = torch.empty_like(q)
    lse = torch.empty((batch, seq, hq), device=q.device, dtype=torch.float32)
    if o.numel() == 0:
        return o, lse
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (triton.cdiv(seq, block_m), hq, batch)
    _parallel_attn_kernel[grid](
        q, k, v, o, lse, seq, sm_scale * LOG2E,
        HQ=hq, HKV=hkv, HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o, lse
