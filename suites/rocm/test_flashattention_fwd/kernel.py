"""Ground truth for test_flashattention_fwd: flash-attention forward. Each program owns
BLOCK_M query rows of one (batch, head) and streams the keys and values in BLOCK_N
blocks, keeping an online softmax (running row max and row sum) in float32, so the
(S, S) score matrix is never written to memory."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _attn_inner(acc, l_i, m_i, q, k_base, v_base, stride_ks, stride_vs,
                offs_m, offs_n, offs_d, lo, hi, S, qk_scale,
                HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
                MASKED: tl.constexpr, CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    """Folds key/value blocks [lo, hi) into the running (acc, l_i, m_i). MASKED blocks
    may hold keys past S or (CAUSAL) keys after a query; the others are all valid."""
    # A head_dim that is not a power of two is padded to BLOCK_D with masked lanes;
    # otherwise (EVEN_D) unmasked blocks load without any mask.
    EVEN_D: tl.constexpr = HEAD_DIM == offs_d.shape[0]
    d_ok = offs_d < HEAD_DIM
    for start_n in range(lo, hi, BLOCK_N):
        cols = start_n + offs_n
        # K is read transposed, (BLOCK_D, BLOCK_N), so q @ k is a plain dot.
        k_ptrs = k_base + cols[None, :] * stride_ks + offs_d[:, None]
        v_ptrs = v_base + cols[:, None] * stride_vs + offs_d[None, :]
        if MASKED:
            k = tl.load(k_ptrs, mask=d_ok[:, None] & (cols[None, :] < S), other=0.0)
        elif EVEN_D:
            k = tl.load(k_ptrs)
        else:
            k = tl.load(k_ptrs, mask=d_ok[:, None], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
        qk = tl.dot(q, k)
        if MASKED:
            valid = cols[None, :] < S
            if CAUSAL:
                valid = valid & (cols[None, :] <= offs_m[:, None])
            qk = tl.where(valid, qk, float("-inf"))
        # Scores in the log2 domain (qk_scale = sm_scale * log2(e)), so exp2 is used.
        # Every row has a valid key in the first block it sees (key 0, or a full
        # block), so m_new is finite and exp2(m_i - m_new) never meets -inf - -inf.
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        p = tl.math.exp2(qk * qk_scale - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = acc * alpha[:, None]
        if MASKED:
            v = tl.load(v_ptrs, mask=d_ok[None, :] & (cols[:, None] < S), other=0.0)
        elif EVEN_D:
            v = tl.load(v_ptrs)
        else:
            v = tl.load(v_ptrs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            v = v.to(tl.float32)
        # P is rounded to V's dtype so the second product also runs on the matrix units.
        acc = tl.dot(p.to(v.dtype), v, acc)
        m_i = m_new
    return acc, l_i, m_i


@triton.jit
def _attn_fwd_kernel(q_ptr, k_ptr, v_ptr, o_ptr,
                     stride_qb, stride_qh, stride_qs, stride_kb, stride_kh, stride_ks,
                     stride_vb, stride_vh, stride_vs, stride_ob, stride_oh, stride_os,
                     H, S, qk_scale,
                     HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                     BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                     CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    start_m = tl.program_id(0)
    bh = tl.program_id(1)
    # 64-bit (batch, head) offsets: B * H * S * D can pass 2^31 elements.
    b = (bh // H).to(tl.int64)
    h = (bh % H).to(tl.int64)
    q_base = q_ptr + b * stride_qb + h * stride_qh
    k_base = k_ptr + b * stride_kb + h * stride_kh
    v_base = v_ptr + b * stride_vb + h * stride_vh
    o_base = o_ptr + b * stride_ob + h * stride_oh

    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    io_mask = (offs_m[:, None] < S) & (offs_d[None, :] < HEAD_DIM)
    # Q stays in registers for the whole key loop; rows past S read 0 and are not stored.
    q = tl.load(q_base + offs_m[:, None] * stride_qs + offs_d[None, :], mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)

    if CAUSAL:
        # Blocks left of the diagonal tile need no mask; the diagonal tile (BLOCK_M is
        # a multiple of BLOCK_N) is masked; blocks right of it are skipped entirely.
        diag = start_m * BLOCK_M
        acc, l_i, m_i = _attn_inner(acc, l_i, m_i, q, k_base, v_base, stride_ks, stride_vs,
                                    offs_m, offs_n, offs_d, 0, diag, S, qk_scale,
                                    HEAD_DIM, BLOCK_N, False, True, UPCAST)
        acc, l_i, m_i = _attn_inner(acc, l_i, m_i, q, k_base, v_base, stride_ks, stride_vs,
                                    offs_m, offs_n, offs_d, diag, tl.minimum(diag + BLOCK_M, S),
                                    S, qk_scale, HEAD_DIM, BLOCK_N, True, True, UPCAST)
    else:
        # Full key blocks unmasked, then the tail block (if S % BLOCK_N != 0) masked.
        full = (S // BLOCK_N) * BLOCK_N
        acc, l_i, m_i = _attn_inner(acc, l_i, m_i, q, k_base, v_base, stride_ks, stride_vs,
                                    offs_m, offs_n, offs_d, 0, full, S, qk_scale,
                                    HEAD_DIM, BLOCK_N, False, False, UPCAST)
        acc, l_i, m_i = _attn_inner(acc, l_i, m_i, q, k_base, v_base, stride_ks, stride_vs,
                                    offs_m, offs_n, offs_d, full, S, S, qk_scale,
                                    HEAD_DIM, BLOCK_N, True, False, UPCAST)

    out = acc / l_i[:, None]
    tl.store(o_base + offs_m[:, None] * stride_os + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def flash_attention_fwd(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                        causal: bool, sm_scale: float) -> torch.Tensor:
    # The kernel needs unit stride along head_dim only; other strides are passed through.
    q, k, v = (t if t.stride(-1) == 1 else t.contiguous() for t in (q, k, v))
    batch, heads, seq, head_dim = q.shape
    o = torch.empty((batch, heads, seq, head_dim), device=q.device, dtype=q.dtype)
    if o.numel() == 0:
        return o
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the small test sequences span several blocks and a tail.
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage; 4 waves of 64 lanes per 128-row tile.
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # H100: Q tile 32 KB + 3 stages of K and V tiles (96 KB) fit in shared memory.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (triton.cdiv(seq, block_m), batch * heads)
    _attn_fwd_kernel[grid](
        q, k, v, o,
        q.stride(0), q.stride(1), q.stride(2), k.stride(0), k.stride(1), k.stride(2),
        v.stride(0), v.stride(1), v.stride(2), o.stride(0), o.stride(1), o.stride(2),
        heads, seq, sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        CAUSAL=bool(causal),
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o
