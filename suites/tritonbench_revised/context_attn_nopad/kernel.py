"""Ground truth for context_attn_nopad: causal grouped-query flash attention of a packed
batch of new tokens against a token pool that also holds each request's cached prefix.
Program (h, m, b) owns new tokens m*BLOCK_M .. m*BLOCK_M + BLOCK_M - 1 of request b,
query head h (positions prefix + those), and streams positions 0 .. of the request in
BLOCK_N blocks: it loads the block's pool rows from req_to_token, gathers the keys and
values of kv head h // G from those rows, and keeps an online softmax in float32.
Positions before the tile's first query position (rounded down to a block) are valid
for every row and need no mask; the rest, up to the tile's last position, are masked."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _fold_pool(acc, l_i, m_i, q, k_base, v_base, tok_base, stride_kt, stride_vt,
               q_pos, offs_n, offs_d, lo, hi, seq_len, qk_scale,
               HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
               MASKED: tl.constexpr, UPCAST: tl.constexpr):
    """Folds positions [lo, hi) of the request into (acc, l_i, m_i). MASKED blocks may
    hold positions after a query's own or past the request's end."""
    EVEN_D: tl.constexpr = HEAD_DIM == offs_d.shape[0]
    d_ok = offs_d < HEAD_DIM
    for start_n in range(lo, hi, BLOCK_N):
        cols = start_n + offs_n
        kv_ok = cols < seq_len
        if MASKED:
            # Masked-out positions read pool row 0, a valid address, then drop out.
            tok = tl.load(tok_base + cols, mask=kv_ok, other=0).to(tl.int64)
        else:
            tok = tl.load(tok_base + cols).to(tl.int64)
        # Gathered rows: K read transposed, (BLOCK_D, BLOCK_N), so q @ k is a plain dot.
        k_ptrs = k_base + tok[None, :] * stride_kt + offs_d[:, None]
        v_ptrs = v_base + tok[:, None] * stride_vt + offs_d[None, :]
        if EVEN_D:
            k = tl.load(k_ptrs)
        else:
            k = tl.load(k_ptrs, mask=d_ok[:, None], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
        qk = tl.dot(q, k)
        if MASKED:
            keep = (cols[None, :] <= q_pos[:, None]) & kv_ok[None, :]
            qk = tl.where(keep, qk, float("-inf"))
        # Every row meets a valid position in the first block it folds (position 0, or
        # the block holding the tile's first query position), so m_new stays finite.
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        p = tl.math.exp2(qk * qk_scale - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        if EVEN_D:
            v = tl.load(v_ptrs)
        else:
            v = tl.load(v_ptrs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            v = v.to(tl.float32)
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, l_i, m_i


@triton.jit
def _prompt_cache_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, r2t_ptr, start_ptr, len_ptr, cache_ptr,
                              stride_qn, stride_qh, stride_kt, stride_kh,
                              stride_vt, stride_vh, stride_on, stride_oh, stride_r2t, qk_scale,
                              GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                              BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                              UPCAST: tl.constexpr):
    h = tl.program_id(0)
    pid_m = tl.num_programs(1) - 1 - tl.program_id(1)  # the longest tiles first
    b = tl.program_id(2)
    seq_len = tl.load(len_ptr + b)
    prefix = tl.load(cache_ptr + b)
    m0 = pid_m * BLOCK_M
    if m0 >= seq_len - prefix:
        return
    kvh = (h // GROUP).to(tl.int64)
    h = h.to(tl.int64)
    first = tl.load(start_ptr + b).to(tl.int64)
    q_base = q_ptr + first * stride_qn + h * stride_qh
    o_base = o_ptr + first * stride_on + h * stride_oh
    k_base = k_ptr + kvh * stride_kh
    v_base = v_ptr + kvh * stride_vh
    tok_base = r2t_ptr + b.to(tl.int64) * stride_r2t

    offs_m = m0 + tl.arange(0, BLOCK_M)  # index among the request's new tokens
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    q_pos = prefix + offs_m
    io_mask = (q_pos[:, None] < seq_len) & (offs_d[None, :] < HEAD_DIM)
    q = tl.load(q_base + offs_m[:, None].to(tl.int64) * stride_qn + offs_d[None, :],
                mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    # Positions below prefix + m0 precede every query of the tile.
    split = ((prefix + m0) // BLOCK_N) * BLOCK_N
    acc, l_i, m_i = _fold_pool(acc, l_i, m_i, q, k_base, v_base, tok_base, stride_kt, stride_vt,
                               q_pos, offs_n, offs_d, 0, split, seq_len, qk_scale,
                               HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, l_i, m_i = _fold_pool(acc, l_i, m_i, q, k_base, v_base, tok_base, stride_kt, stride_vt,
                               q_pos, offs_n, offs_d, split,
                               tl.minimum(prefix + m0 + BLOCK_M, seq_len), seq_len, qk_scale,
                               HEAD_DIM, BLOCK_N, True, UPCAST)
    out = acc / l_i[:, None]
    tl.store(o_base + offs_m[:, None].to(tl.int64) * stride_on + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def context_attn_nopad(q: torch.Tensor, k_cache: torch.Tensor, v_cache: torch.Tensor,
                       req_to_token: torch.Tensor, b_start_loc: torch.Tensor,
                       b_seq_len: torch.Tensor, b_prompt_cache_len: torch.Tensor,
                       max_input_len: int, sm_scale: float) -> torch.Tensor:
    q, k_cache, v_cache = q.contiguous(), k_cache.contiguous(), v_cache.contiguous()
    req_to_token = req_to_token.contiguous()
    n_tok, heads, head_dim = q.shape
    kv_heads = k_cache.shape[1]
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
        # H100/H200: Q tile 32 KB + 3 stages of gathered K and V tiles in shared memory.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (heads, triton.cdiv(max_input_len, block_m), batch)
    _prompt_cache_attn_kernel[grid](
        q, k_cache, v_cache, o, req_to_token, b_start_loc, b_seq_len, b_prompt_cache_len,
        q.stride(0), q.stride(1), k_cache.stride(0), k_cache.stride(1),
        v_cache.stride(0), v_cache.stride(1), o.stride(0), o.stride(1),
        req_to_token.stride(0), sm_scale * LOG2E,
        GROUP=heads // kv_heads, HEAD_DIM=head_dim, BLOCK_D=block_d,
        BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o
