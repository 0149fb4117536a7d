"""Ground truth for attention_fwd_triton3: causal attention of a chunk of Sq new queries
over Sk = (cached prefix) + Sq keys, the mask aligned to the bottom-right corner: query
i sits at position Sk - Sq + i. A program owns BLOCK_M query rows of one (batch, head)
and runs an online softmax (float32 running max, sum and accumulator). Key blocks
before the tile's first position need no mask; the blocks from there to the tile's last
position are masked per row; later keys are never loaded."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _prefix_block(acc, m_i, l_i, q, k_base, v_base, key0, pos, SK, qk_scale,
                  offs_n, offs_d, d_ok, HEAD_DIM: tl.constexpr, MASKED: tl.constexpr,
                  PAD_D: tl.constexpr, UPCAST: tl.constexpr):
    cols = key0 + offs_n
    kt_ptrs = k_base + cols[None, :] * HEAD_DIM + offs_d[:, None]
    v_ptrs = v_base + cols[:, None] * HEAD_DIM + offs_d[None, :]
    if MASKED:
        c_ok = cols < SK
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
    s = tl.dot(q, kt) * qk_scale  # log2-domain scores
    if MASKED:
        # Key j is visible to the query at absolute position pos[r] iff j <= pos[r].
        s = tl.where((cols[None, :] <= pos[:, None]) & c_ok[None, :], s, float("-inf"))
    # Every row sees key 0 in its first block (masked or not), so m_new is finite.
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _prefill_attn_fwd(q_ptr, k_ptr, v_ptr, o_ptr, SQ, SK, qk_scale,
                      HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                      BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    # Last query tiles (the most keys) first, for a balanced tail.
    pid_m = tl.num_programs(0) - 1 - tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: tensors may pass 2^31 elements
    q_base = q_ptr + bh * SQ * HEAD_DIM
    o_base = o_ptr + bh * SQ * HEAD_DIM
    k_base = k_ptr + bh * SK * HEAD_DIM
    v_base = v_ptr + bh * SK * HEAD_DIM
    PAD_D: tl.constexpr = BLOCK_D != HEAD_DIM

    offset = SK - SQ  # cached prefix length
    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    pos = offset + rows
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    io_mask = (rows < SQ)[:, None] & d_ok[None, :]
    q = tl.load(q_base + rows[:, None] * HEAD_DIM + offs_d[None, :], mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], tl.float32)
    first_pos = offset + pid_m * BLOCK_M
    # Keys below first_pos (rounded down to a block) are visible to every row: no mask.
    unmasked_end = (first_pos // BLOCK_N) * BLOCK_N
    for key0 in range(0, unmasked_end, BLOCK_N):
        acc, m_i, l_i = _prefix_block(acc, m_i, l_i, q, k_base, v_base, key0, pos, SK, qk_scale,
                                      offs_n, offs_d, d_ok, HEAD_DIM, False, PAD_D, UPCAST)
    # Keys up to the tile's last position: masked per row (and at SK).
    hi = tl.minimum(first_pos + BLOCK_M, SK)
    for key0 in range(unmasked_end, hi, BLOCK_N):
        acc, m_i, l_i = _prefix_block(acc, m_i, l_i, q, k_base, v_base, key0, pos, SK, qk_scale,
                                      offs_n, offs_d, d_ok, HEAD_DIM, True, PAD_D, UPCAST)

    o = acc / l_i[:, None]
    tl.store(o_base + rows[:, None] * HEAD_DIM + offs_d[None, :], o.to(o_ptr.dtype.element_ty),
             mask=io_mask)


def attention_fwd_triton3(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                          sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    B, H, SQ, D = q.shape
    SK = k.shape[2]
    o = torch.empty_like(q)
    if o.numel() == 0:
        return o
    block_d = max(16, triton.next_power_of_2(D))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles: the short test chunks span several query tiles and key blocks.
        bm, bn, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage (64 KB LDS), 4 waves of 64 lanes.
        bm, bn, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # Hopper: 128-row tiles on 8 warps over 64-key blocks, 3 stages of K and V
        # (Q 32 KB + 3 x 32 KB of K/V at D = 128). On an H200 this beat 128 x 128 tiles,
        # 2 stages and 4 warps, at D = 64 and 128.
        bm, bn, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 64, 4, 2)
    grid = (triton.cdiv(SQ, bm), B * H)
    _prefill_attn_fwd[grid](q, k, v, o, SQ, SK, sm_scale * LOG2E,
                            HEAD_DIM=D, BLOCK_D=block_d, BLOCK_M=bm, BLOCK_N=bn,
                            # The interpreter's bf16 dot is wrong; bf16 -> fp32 is exact.
                            UPCAST=interpret and q.dtype == torch.bfloat16,
                            num_warps=warps, num_stages=stages)
    return o
