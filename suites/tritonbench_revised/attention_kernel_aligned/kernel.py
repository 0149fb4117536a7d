"""Ground truth for attention_kernel_aligned: attention forward on shapes the caller
promises are aligned (S a multiple of 128, D 64 or 128). Every query tile and key block
is full, so no load or store carries a bounds mask and the head dim needs no padding;
with causal=True only the key blocks that touch the diagonal apply a mask (key <=
query), and blocks past it are skipped. A program owns BLOCK_M query rows of one
(batch, head) and keeps an online softmax (float32 running max, sum and accumulator)."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _aligned_step(acc, m_i, l_i, q, kt_ptrs, v_ptrs, key0, rows, offs_n, qk_scale,
                  HEAD_DIM: tl.constexpr, DIAG: tl.constexpr, UPCAST: tl.constexpr):
    kt = tl.load(kt_ptrs + key0 * HEAD_DIM)
    v = tl.load(v_ptrs + key0 * HEAD_DIM)
    if UPCAST:
        kt = kt.to(tl.float32)
        v = v.to(tl.float32)
    s = tl.dot(q, kt) * qk_scale  # log2-domain scores
    if DIAG:
        s = tl.where((key0 + offs_n)[None, :] <= rows[:, None], s, float("-inf"))
    # Key 0 comes first for every row (diagonal blocks start at key0 <= row): finite max.
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _aligned_attn_fwd(q_ptr, k_ptr, v_ptr, o_ptr, S, qk_scale,
                      HEAD_DIM: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                      CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    if CAUSAL:
        # Longest rows first, so the cheap early tiles fill the tail of the launch.
        pid_m = tl.num_programs(0) - 1 - tl.program_id(0)
    else:
        pid_m = tl.program_id(0)
    S = tl.multiple_of(S, 128)
    head_off = tl.program_id(1).to(tl.int64) * S * HEAD_DIM  # 64-bit: may pass 2^31
    m0 = pid_m * BLOCK_M
    rows = m0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)

    q = tl.load(q_ptr + head_off + rows[:, None] * HEAD_DIM + offs_d[None, :])
    if UPCAST:
        q = q.to(tl.float32)
    kt_ptrs = k_ptr + head_off + offs_n[None, :] * HEAD_DIM + offs_d[:, None]
    v_ptrs = v_ptr + head_off + offs_n[:, None] * HEAD_DIM + offs_d[None, :]

    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, HEAD_DIM], tl.float32)
    if CAUSAL:
        # Blocks left of the tile are fully visible; the tile's own diagonal band
        # (BLOCK_M / BLOCK_N blocks) is masked; nothing right of it is loaded.
        for key0 in range(0, m0, BLOCK_N):
            acc, m_i, l_i = _aligned_step(acc, m_i, l_i, q, kt_ptrs, v_ptrs, key0, rows, offs_n,
                                          qk_scale, HEAD_DIM, False, UPCAST)
        for key0 in range(m0, m0 + BLOCK_M, BLOCK_N):
            acc, m_i, l_i = _aligned_step(acc, m_i, l_i, q, kt_ptrs, v_ptrs, key0, rows, offs_n,
                                          qk_scale, HEAD_DIM, True, UPCAST)
    else:
        for key0 in range(0, S, BLOCK_N):
            acc, m_i, l_i = _aligned_step(acc, m_i, l_i, q, kt_ptrs, v_ptrs, key0, rows, offs_n,
                                          qk_scale, HEAD_DIM, False, UPCAST)

    o = acc / l_i[:, None]
    tl.store(o_ptr + head_off + rows[:, None] * HEAD_DIM + offs_d[None, :],
             o.to(o_ptr.dtype.element_ty))


def attention_kernel_aligned(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                             causal: bool, sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    B, H, S, D = q.shape
    if S % 128 != 0 or D not in (64, 128):
        raise ValueError(f"attention_kernel_aligned needs S % 128 == 0 and D in (64, 128); got S={S}, D={D}")
    o = torch.empty_like(q)
    if o.numel() == 0:
        return o
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # Every tile size divides 128, so every tile is full for any aligned S.
    if interpret:
        bm, bn, warps, stages = 32, 32, 4, 1
    elif torch.version.hip:
        # MI300: 64 KB of LDS, one stage; 4 waves of 64 lanes per 128-row tile.
        bm, bn, warps, stages = 128, 64, 4, 1
    else:
        # Hopper: 128-row tiles on 8 warps over 64-key blocks, 3 stages of K and V in
        # shared memory (on an H200 this beat 128 x 128 tiles and 4 warps).
        bm, bn, warps, stages = 128, 64, 8, 3
    grid = (S // bm, B * H)
    _aligned_attn_fwd[grid](q, k, v, o, S, sm_scale * LOG2E,
                            HEAD_DIM=D, BLOCK_M=bm, BLOCK_N=bn, CAUSAL=bool(causal),
                            # The interpreter's bf16 dot is wrong; bf16 -> fp32 is exact.
                            UPCAST=interpret and q.dtype == torch.bfloat16,
                            num_warps=warps, num_stages=stages)
    return o
