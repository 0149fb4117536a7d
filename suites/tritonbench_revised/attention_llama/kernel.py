"""Ground truth for attention_llama: causal GQA prefill attention on (B, S, H, D) tensors.
A program owns BLOCK_M query rows of one query head and streams its kv head's keys and
values in BLOCK_N tiles with an online softmax (running max and sum in float32, log2
domain). Key tiles strictly left of the diagonal need no mask; the diagonal tile is
masked; tiles right of it are never loaded. Query blocks are launched last-first, so the
longest programs start earliest."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _kv_sweep(acc, m_i, l_i, q, k_head, v_head, row_stride, rows, d_idx, start, stop, S,
              qk_scale, HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
              ON_DIAGONAL: tl.constexpr, UPCAST: tl.constexpr):
    """Folds key/value rows [start, stop) into (acc, m_i, l_i). Off the diagonal every
    key is < S and <= every query row, so neither loads nor scores are masked."""
    PAD_D: tl.constexpr = HEAD_DIM != d_idx.shape[0]
    d_ok = d_idx < HEAD_DIM
    for n0 in range(start, stop, BLOCK_N):
        keys = n0 + tl.arange(0, BLOCK_N)
        offs = keys[:, None] * row_stride + d_idx[None, :]
        if ON_DIAGONAL:
            ld_mask = (keys[:, None] < S) & d_ok[None, :]
            k = tl.load(k_head + offs, mask=ld_mask, other=0.0)
            v = tl.load(v_head + offs, mask=ld_mask, other=0.0)
        elif PAD_D:
            k = tl.load(k_head + offs, mask=d_ok[None, :], other=0.0)
            v = tl.load(v_head + offs, mask=d_ok[None, :], other=0.0)
        else:
            k = tl.load(k_head + offs)
            v = tl.load(v_head + offs)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * qk_scale
        if ON_DIAGONAL:
            s = tl.where((keys[None, :] <= rows[:, None]) & (keys[None, :] < S), s, float("-inf"))
        # Key 0 (start_m == 0) or a whole unmasked tile (start_m > 0) is seen first, so
        # m_new is finite from the first tile on and no -inf - -inf can occur.
        m_new = tl.maximum(m_i, tl.max(s, 1))
        p = tl.math.exp2(s - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        # P rounded to v's dtype: the second product runs on the matrix units too.
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, m_i, l_i


@triton.jit
def _llama_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, S, HQ, GROUP, qk_scale,
                       HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    start_m = tl.num_programs(0) - 1 - tl.program_id(0)
    bh = tl.program_id(1)
    b = (bh // HQ).to(tl.int64)  # 64-bit: B * S * H * D may pass 2^31
    h = bh % HQ
    kvh = h // GROUP
    HKV = HQ // GROUP
    q_stride = HQ * HEAD_DIM   # one token's row of all heads
    kv_stride = HKV * HEAD_DIM
    q_head = q_ptr + b * S * q_stride + h * HEAD_DIM
    o_head = o_ptr + b * S * q_stride + h * HEAD_DIM
    k_head = k_ptr + b * S * kv_stride + kvh * HEAD_DIM
    v_head = v_ptr + b * S * kv_stride + kvh * HEAD_DIM

    rows = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    d_idx = tl.arange(0, BLOCK_D)
    io_mask = (rows[:, None] < S) & (d_idx[None, :] < HEAD_DIM)
    q_offs = rows[:, None] * q_stride + d_idx[None, :]
    q = tl.load(q_head + q_offs, mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    diag = start_m * BLOCK_M
    acc, m_i, l_i = _kv_sweep(acc, m_i, l_i, q, k_head, v_head, kv_stride, rows, d_idx,
                              0, diag, S, qk_scale, HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, m_i, l_i = _kv_sweep(acc, m_i, l_i, q, k_head, v_head, kv_stride, rows, d_idx,
                              diag, tl.minimum(diag + BLOCK_M, S), S, qk_scale,
                              HEAD_DIM, BLOCK_N, True, UPCAST)
    out = acc / l_i[:, None]
    tl.store(o_head + q_offs, out.to(o_ptr.dtype.element_ty), mask=io_mask)


def _tiles(block_d):
    """(BLOCK_M, BLOCK_N, num_warps, num_stages); BLOCK_M is a multiple of BLOCK_N."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 16, 16, 4, 1  # small tiles: the test sequences span several and a tail
    if torch.version.hip:
        # MI300: a single LDS buffer; 4 waves of 64 lanes per tile.
        return (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    # Hopper: a 128 x 128 Q tile and 3 stages of 64-row K and V tiles fit in shared memory.
    return (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)


def attention_llama(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                    sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    batch, seq, hq, head_dim = q.shape
    hkv = k.shape[2]
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    block_m, block_n, warps, stages = _tiles(block_d)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(seq, block_m), batch * hq)
    _llama_attn_kernel[grid](
        q, k, v, out, seq, hq, hq // hkv, sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out
