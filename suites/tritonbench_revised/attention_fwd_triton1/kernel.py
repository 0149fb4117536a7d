"""Ground truth for attention_fwd_triton1: causal attention forward that also writes the
row logsumexp a backward pass needs. A program owns BLOCK_M query rows of one
(batch, head) and folds the keys in BLOCK_N steps into an online softmax kept in the
log2 domain (running max m, running sum l, float32 accumulator). Key blocks wholly left
of the diagonal run without masks, the blocks that touch the diagonal are masked, and
blocks right of it are never loaded. The row's logsumexp is ln(2) * (m + log2(l))."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634
LN2 = 0.6931471805599453


@triton.jit
def _causal_step(acc, m_i, l_i, q, k_base, v_base, key0, rows, S, qk_scale,
                 offs_n, offs_d, d_ok, HEAD_DIM: tl.constexpr,
                 ON_DIAG: tl.constexpr, PAD_D: tl.constexpr, UPCAST: tl.constexpr):
    cols = key0 + offs_n
    kt_ptrs = k_base + cols[None, :] * HEAD_DIM + offs_d[:, None]
    v_ptrs = v_base + cols[:, None] * HEAD_DIM + offs_d[None, :]
    if ON_DIAG:
        # Diagonal blocks can also reach past S (the last query block).
        c_ok = cols < S
        kt = tl.load(kt_ptrs, mask=d_ok[:, None] & c_ok[None, :], other=0.0)
        v = tl.load(v_ptrs, mask=c_ok[:, None] & d_ok[None, :], other=0.0)
    elif PAD_D:
        kt = tl.load(kt_ptrs, mask=d_ok[:, None], other=0.0)
        v = tl.load(v_ptrs, mask=d_ok[None, :], other=0.0)
    else:
        kt = tl.load(kt_ptrs)
        v = tl.load(v_ptrs)
    if UPCAST:
        kt = kt.to(tl.float32)
        v = v.to(tl.float32)
    s = tl.dot(q, kt) * qk_scale
    if ON_DIAG:
        s = tl.where((cols[None, :] <= rows[:, None]) & c_ok[None, :], s, float("-inf"))
    # Key 0 (or a whole unmasked block) comes first for every row: m_new stays finite.
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _causal_lse_fwd(q_ptr, k_ptr, v_ptr, o_ptr, lse_ptr, S, qk_scale,
                    HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    # The longest rows (the last query blocks) are launched first, so the short ones
    # fill the machine's tail instead of leaving it idle.
    pid_m = tl.num_programs(0) - 1 - tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * S * D may pass 2^31
    head_off = bh * S * HEAD_DIM
    q_base = q_ptr + head_off
    k_base = k_ptr + head_off
    v_base = v_ptr + head_off
    PAD_D: tl.constexpr = BLOCK_D != HEAD_DIM

    m0 = pid_m * BLOCK_M
    rows = m0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    r_ok = rows < S
    q = tl.load(q_base + rows[:, None] * HEAD_DIM + offs_d[None, :],
                mask=r_ok[:, None] & d_ok[None, :], other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], tl.float32)
    # Keys < m0 are visible to every row of the tile (BLOCK_M is a multiple of BLOCK_N).
    for key0 in range(0, m0, BLOCK_N):
        acc, m_i, l_i = _causal_step(acc, m_i, l_i, q, k_base, v_base, key0, rows, S,
                                     qk_scale, offs_n, offs_d, d_ok, HEAD_DIM,
                                     False, PAD_D, UPCAST)
    for key0 in range(m0, tl.minimum(m0 + BLOCK_M, S), BLOCK_N):
        acc, m_i, l_i = _causal_step(acc, m_i, l_i, q, k_base, v_base, key0, rows, S,
                                     qk_scale, offs_n, offs_d, d_ok, HEAD_DIM,
                                     True, PAD_D, UPCAST)

    o = acc / l_i[:, None]
    tl.store(o_ptr + head_off + rows[:, None] * HEAD_DIM + offs_d[None, :],
             o.to(o_ptr.dtype.element_ty), mask=r_ok[:, None] & d_ok[None, :])
    # Natural-log logsumexp of the scaled scores: (m + log2 l) is in log2 units.
    tl.store(lse_ptr + bh * S + rows, (m_i + tl.math.log2(l_i)) * 0.6931471805599453, mask=r_ok)


def attention_fwd_triton1(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                          sm_scale: float):
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    B, H, S, D = q.shape
    o = torch.empty_like(q)
    lse = torch.empty((B, H, S), device=q.device, dtype=torch.float32)
    if o.numel() == 0:
        return o, lse
    block_d = max(16, triton.next_power_of_2(D))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # 32-row query tiles over 16-key blocks: two masked diagonal blocks per tile.
        bm, bn, warps, stages = 32, 16, 4, 1
    elif torch.version.hip:
        # MI300: 64-lane waves, 64 KB of LDS: single-stage K/V tiles.
        bm, bn, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # Hopper: 128-row tiles on 8 warps over 64-key blocks, 3 stages of K and V
        # (Q 32 KB + 3 x 32 KB of K/V at D = 128). On an H200 this beat 128 x 128 tiles,
        # 2 stages and 4 warps, at D = 64 and 128.
        bm, bn, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 64, 4, 2)
    grid = (triton.cdiv(S, bm), B * H)
    _causal_lse_fwd[grid](q, k, v, o, lse, S, sm_scale * LOG2E,
                          HEAD_DIM=D, BLOCK_D=block_d, BLOCK_M=bm, BLOCK_N=bn,
                          # The interpreter's bf16 dot is wrong; bf16 -> fp32 is exact.
                          UPCAST=interpret and q.dtype == torch.bfloat16,
                          num_warps=warps, num_stages=stages)
    return o, lse
