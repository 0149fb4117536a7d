"""Ground truth for context_attn_mistral: causal sliding-window grouped-query flash
attention over a packed batch. Program (h, m, b) owns query rows m*BLOCK_M ..
m*BLOCK_M + BLOCK_M - 1 of request b, query head h (it exits at once when the tile
starts past the request's length), and folds only the key blocks that meet some row's
window (i - W, i], using kv head h // G, with an online softmax in float32:
  [lo, full)  blocks cut by the lower window edge of some row: masked;
  [full, m0)  blocks inside every row's window: unmasked;
  [m0, m0 + BLOCK_M)  the diagonal tile: masked (causal and window).
So the work per tile is O(W + BLOCK_M) keys, not O(i)."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
             offs_m, offs_n, offs_d, lo, hi, seq_len, window, qk_scale,
             HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
             MASKED: tl.constexpr, UPCAST: tl.constexpr):
    """Folds key/value blocks [lo, hi) into (acc, l_i, m_i). MASKED blocks may hold keys
    outside a row's window or past the request's end; the others are valid for every row."""
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
        qk = tl.dot(q, k)
        if MASKED:
            diff = offs_m[:, None] - cols[None, :]                  # i - j
            keep = (diff >= 0) & (diff < window) & kv_ok[None, :]
            qk = tl.where(keep, qk, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        if MASKED:
            # A row whose window starts after this whole block sees only -inf so far;
            # shift by 0 then, so exp2 gives 0 rather than exp2(-inf + inf) = NaN.
            m_use = tl.where(m_new == float("-inf"), 0.0, m_new)
        else:
            m_use = m_new
        p = tl.math.exp2(qk * qk_scale - m_use[:, None])
        alpha = tl.math.exp2(m_i - m_use)
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
def _swa_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, start_ptr, len_ptr,
                     stride_qn, stride_qh, stride_kn, stride_kh,
                     stride_vn, stride_vh, stride_on, stride_oh, qk_scale, window,
                     GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                     BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    h = tl.program_id(0)
    pid_m = tl.num_programs(1) - 1 - tl.program_id(1)
    b = tl.program_id(2)
    seq_len = tl.load(len_ptr + b)
    m0 = pid_m * BLOCK_M
    if m0 >= seq_len:
        return
    kvh = (h // GROUP).to(tl.int64)
    h = h.to(tl.int64)
    first = tl.load(start_ptr + b).to(tl.int64)
    q_base = q_ptr + first * stride_qn + h * stride_qh
    k_base = k_ptr + first * stride_kn + kvh * stride_kh
    v_base = v_ptr + first * stride_vn + kvh * stride_vh
    o_base = o_ptr + first * stride_on + h * stride_oh

    offs_m = m0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    io_mask = (offs_m[:, None] < seq_len) & (offs_d[None, :] < HEAD_DIM)
    q = tl.load(q_base + offs_m[:, None].to(tl.int64) * stride_qn + offs_d[None, :],
                mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    # The first row m0 reaches back to key m0 - W + 1; the last row m0 + BLOCK_M - 1
    # only to m0 + BLOCK_M - W, so keys from there up to m0 are in every row's window.
    # (m0 is a multiple of BLOCK_N; clamp before dividing: no negative division.)
    lo = (tl.maximum(m0 - window + 1, 0) // BLOCK_N) * BLOCK_N
    full = tl.cdiv(tl.maximum(m0 + BLOCK_M - window, 0), BLOCK_N) * BLOCK_N
    full = tl.minimum(tl.maximum(full, lo), m0)

    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, lo, full, seq_len, window, qk_scale,
                             HEAD_DIM, BLOCK_N, True, UPCAST)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, full, m0, seq_len, window, qk_scale,
                             HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, m0, tl.minimum(m0 + BLOCK_M, seq_len),
                             seq_len, window, qk_scale, HEAD_DIM, BLOCK_N, True, UPCAST)
    # Every stored row has at least its own key (W >= 1), so l_i >= 1 there.
    out = acc / l_i[:, None]
    tl.store(o_base + offs_m[:, None].to(tl.int64) * stride_on + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def context_attn_mistral(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                         b_start_loc: torch.Tensor, b_seq_len: torch.Tensor,
                         max_input_len: int, sm_scale: float,
                         sliding_window: int) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    n_tok, heads, head_dim = q.shape
    kv_heads = k.shape[1]
    o = torch.empty((n_tok, heads, head_dim), device=q.device, dtype=q.dtype)
    batch = b_seq_len.shape[0]
    if o.numel() == 0 or batch == 0 or max_input_len == 0:
        return o
    # A window longer than any request is plain causal attention; clamping keeps the
    # kernel's int32 arithmetic far from overflow.
    window = int(min(sliding_window, max_input_len + 1))
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
    grid = (heads, triton.cdiv(max_input_len, block_m), batch)
    _swa_attn_kernel[grid](
        q, k, v, o, b_start_loc, b_seq_len,
        q.stride(0), q.stride(1), k.stride(0), k.stride(1),
        v.stride(0), v.stride(1), o.stride(0), o.stride(1), sm_scale * LOG2E, window,
        GROUP=heads // kv_heads, HEAD_DIM=head_dim, BLOCK_D=block_d,
        BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o
