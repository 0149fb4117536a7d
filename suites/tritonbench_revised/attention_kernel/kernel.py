"""Ground truth for attention_kernel: non-causal attention forward for float32, float16
and bfloat16 inputs. A program owns BLOCK_M query rows of one (batch, head) and walks
the keys with block pointers in BLOCK_N steps, keeping an online softmax (float32
running max, sum and accumulator). Full key blocks load without bounds checks; the
tail block is zero-padded and its missing keys masked to -inf. float32 operands go
through tl.dot at its default precision (TF32 on NVIDIA GPUs)."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _softmax_update(acc, m_i, l_i, q, kt, v, s_mask, qk_scale,
                    MASK: tl.constexpr, UPCAST: tl.constexpr):
    if UPCAST:
        kt = kt.to(tl.float32)
        v = v.to(tl.float32)
    s = tl.dot(q, kt) * qk_scale  # log2-domain scores
    if MASK:
        s = tl.where(s_mask, s, float("-inf"))
    # The first block holds key 0 for every row, so m_new is finite from the start.
    m_new = tl.maximum(m_i, tl.max(s, 1))
    alpha = tl.math.exp2(m_i - m_new)
    p = tl.math.exp2(s - m_new[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    # For float32 inputs P stays float32; for 16-bit inputs it is rounded to V's dtype.
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, S, qk_scale,
                 HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                 BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    pid_m = tl.program_id(0)
    head_off = tl.program_id(1).to(tl.int64) * S * HEAD_DIM  # 64-bit: may pass 2^31
    PAD_D: tl.constexpr = BLOCK_D != HEAD_DIM
    m0 = pid_m * BLOCK_M

    q_blk = tl.make_block_ptr(q_ptr + head_off, shape=(S, HEAD_DIM), strides=(HEAD_DIM, 1),
                              offsets=(m0, 0), block_shape=(BLOCK_M, BLOCK_D), order=(1, 0))
    # K^T as a (D, S) view with unit stride along D, so the scores are q @ kt.
    kt_blk = tl.make_block_ptr(k_ptr + head_off, shape=(HEAD_DIM, S), strides=(1, HEAD_DIM),
                               offsets=(0, 0), block_shape=(BLOCK_D, BLOCK_N), order=(0, 1))
    v_blk = tl.make_block_ptr(v_ptr + head_off, shape=(S, HEAD_DIM), strides=(HEAD_DIM, 1),
                              offsets=(0, 0), block_shape=(BLOCK_N, BLOCK_D), order=(1, 0))
    # Query rows past S (and lanes past D) read 0 and are never stored.
    q = tl.load(q_blk, boundary_check=(0, 1), padding_option="zero")
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], tl.float32)
    offs_n = tl.arange(0, BLOCK_N)
    n_full = S // BLOCK_N
    for _ in range(0, n_full):
        if PAD_D:
            kt = tl.load(kt_blk, boundary_check=(0,), padding_option="zero")
            v = tl.load(v_blk, boundary_check=(1,), padding_option="zero")
        else:
            kt = tl.load(kt_blk)
            v = tl.load(v_blk)
        acc, m_i, l_i = _softmax_update(acc, m_i, l_i, q, kt, v, None, qk_scale, False, UPCAST)
        kt_blk = tl.advance(kt_blk, (0, BLOCK_N))
        v_blk = tl.advance(v_blk, (BLOCK_N, 0))
    if n_full * BLOCK_N < S:
        kt = tl.load(kt_blk, boundary_check=(0, 1), padding_option="zero")
        v = tl.load(v_blk, boundary_check=(0, 1), padding_option="zero")
        s_mask = (n_full * BLOCK_N + offs_n)[None, :] < S
        acc, m_i, l_i = _softmax_update(acc, m_i, l_i, q, kt, v, s_mask, qk_scale, True, UPCAST)

    o = acc / l_i[:, None]
    o_blk = tl.make_block_ptr(o_ptr + head_off, shape=(S, HEAD_DIM), strides=(HEAD_DIM, 1),
                              offsets=(m0, 0), block_shape=(BLOCK_M, BLOCK_D), order=(1, 0))
    tl.store(o_blk, o.to(o_ptr.dtype.element_ty), boundary_check=(0, 1))


def attention_kernel(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                     sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    B, H, S, D = q.shape
    o = torch.empty_like(q)
    if o.numel() == 0:
        return o
    block_d = max(16, triton.next_power_of_2(D))
    wide = q.dtype == torch.float32  # 4-byte tiles: half as many fit in shared memory
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles: the short test sequences span several blocks and a tail.
        bm, bn, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: 64 KB of LDS, one stage; narrower key blocks for 4-byte tiles.
        if block_d <= 128:
            bm, bn, warps, stages = (128, 32, 4, 1) if wide else (128, 64, 4, 1)
        else:
            bm, bn, warps, stages = 64, 32, 4, 1
    else:
        # Hopper (228 KB shared memory), 128-row tiles on 8 warps. 16-bit: 64-key blocks,
        # 3 stages of K and V (on an H200 this beat 128 x 128 tiles, 2 stages and 4
        # warps). fp32 (TF32 dots): 32-key blocks, 3 stages (Q 64 KB + 3 x 32 KB of K/V
        # at D = 128): on an H200 as fast as 64-key blocks with 2 stages at D = 128,
        # ~13% faster at D = 64.
        if block_d <= 128:
            bm, bn, warps, stages = (128, 32, 8, 3) if wide else (128, 64, 8, 3)
        else:
            bm, bn, warps, stages = (64, 32, 4, 2) if wide else (64, 64, 4, 2)
    grid = (triton.cdiv(S, bm), B * H)
    _attn_kernel[grid](q, k, v, o, S, sm_scale * LOG2E,
                       HEAD_DIM=D, BLOCK_D=block_d, BLOCK_M=bm, BLOCK_N=bn,
                       # The interpreter's bf16 dot is wrong; bf16 -> fp32 is exact.
                       UPCAST=interpret and q.dtype == torch.bfloat16,
                       num_warps=warps, num_stages=stages)
    return o
