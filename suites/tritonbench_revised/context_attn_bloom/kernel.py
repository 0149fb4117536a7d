"""Ground truth for context_attn_bloom: causal flash attention with ALiBi biases over a
packed batch. Program (m, h, b) owns query rows m*BLOCK_M .. m*BLOCK_M + BLOCK_M - 1 of
request b, head h (it exits at once when the tile starts past the request's length), and
streams the request's keys and values in BLOCK_N blocks with an online softmax in
float32, adding slope_h * (j - i) to every score: the key blocks left of the diagonal
tile unmasked, the diagonal tile masked, nothing after it."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
             offs_m, offs_n, offs_d, lo, hi, seq_len, qk_scale, slope2,
             HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
             MASKED: tl.constexpr, UPCAST: tl.constexpr):
    """Folds key/value blocks [lo, hi) into (acc, l_i, m_i). MASKED blocks may hold keys
    after a query or past the request's end; the others are all valid."""
    EVEN_D: tl.constexpr = HEAD_DIM == offs_d.shape[0]
    d_ok = offs_d < HEAD_DIM
    for start_n in range(lo, hi, BLOCK_N):
        cols = start_n + offs_n
        k_ptrs = k_base + cols[None, :].to(tl.int64) * stride_kn + offs_d[:, None]
        v_ptrs = v_base + cols[:, None].to(tl.int64) * stride_vn + offs_d[None, :]
        kv_ok = cols < seq_len
        if MASKED:
            k = tl.load(k_ptrs, mask=d_ok[:, None] & kv_ok[None, :], other=0.0)
        elif EVEN_D:
            k = tl.load(k_ptrs)
        else:
            k = tl.load(k_ptrs, mask=d_ok[:, None], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
        # Scores in the log2 domain: qk * sm_scale * log2 e + slope * log2 e * (j - i).
        # (j - i) is an exact small integer in float32; the bias is <= 0.
        rel = (cols[None, :] - offs_m[:, None]).to(tl.float32)
        s = tl.dot(q, k) * qk_scale + slope2 * rel
        if MASKED:
            keep = (rel <= 0.0) & kv_ok[None, :]
            s = tl.where(keep, s, float("-inf"))
        # Every row meets a valid key in the first block it folds (key 0, or the
        # diagonal key), so m_new stays finite.
        m_new = tl.maximum(m_i, tl.max(s, 1))
        p = tl.math.exp2(s - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        if MASKED:
            v = tl.load(v_ptrs, mask=kv_ok[:, None] & d_ok[None, :], other=0.0)
        elif EVEN_D:
            v = tl.load(v_ptrs)
        else:
            v = tl.load(v_ptrs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            v = v.to(tl.float32)
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, l_i, m_i


@triton.jit
def _alibi_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, slopes_ptr, start_ptr, len_ptr,
                       stride_qn, stride_qh, stride_kn, stride_kh,
                       stride_vn, stride_vh, stride_on, stride_oh, qk_scale,
                       HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    pid_m = tl.num_programs(0) - 1 - tl.program_id(0)  # the longest tiles first
    h = tl.program_id(1)
    b = tl.program_id(2)
    seq_len = tl.load(len_ptr + b)
    m0 = pid_m * BLOCK_M
    if m0 >= seq_len:
        return
    slope2 = tl.load(slopes_ptr + h) * 1.4426950408889634
    h = h.to(tl.int64)
    first = tl.load(start_ptr + b).to(tl.int64)
    q_base = q_ptr + first * stride_qn + h * stride_qh
    k_base = k_ptr + first * stride_kn + h * stride_kh
    v_base = v_ptr + first * stride_vn + h * stride_vh
    o_base = o_ptr + first * stride_on + h * stride_oh

    offs_m = m0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    io_mask = (offs_m[:, None] < seq_len) & (offs_d[None, :] < HEAD_DIM)
    q = tl.load(q_base + offs_m[:, None].to(tl.int64) * stride_qn + offs_d[None, :],
                mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, 0, m0, seq_len, qk_scale, slope2,
                             HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, m0, tl.minimum(m0 + BLOCK_M, seq_len),
                             seq_len, qk_scale, slope2, HEAD_DIM, BLOCK_N, True, UPCAST)
    out = acc / l_i[:, None]
    tl.store(o_base + offs_m[:, None].to(tl.int64) * stride_on + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def context_attn_bloom(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                       slopes: torch.Tensor, b_start_loc: torch.Tensor,
                       b_seq_len: torch.Tensor, max_input_len: int,
                       sm_scale: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    slopes = slopes.to(torch.float32).contiguous()
    n_tok, heads, head_dim = q.shape
    o = torch.empty((n_tok, heads, head_dim), device=q.device, dtype=q.dtype)
    batch = b_seq_len.shape[0]
    if o.numel() == 0 or batch == 0 or max_input_len == 0:
        return o
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage; 4 waves of 64 lanes per 128-row tile.
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # H100/H200: Q tile 32 KB + 3 stages of K and V tiles (96 KB) in shared memory.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (triton.cdiv(max_input_len, block_m), heads, batch)
    _alibi_attn_kernel[grid](
        q, k, v, o, slopes, b_start_loc, b_seq_len,
        q.stride(0), q.stride(1), k.stride(0), k.stride(1),
        v.stride(0), v.stride(1), o.stride(0), o.stride(1), sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o
