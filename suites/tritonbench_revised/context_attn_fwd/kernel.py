"""Ground truth for context_attn_fwd: causal flash attention over a packed batch. Program
(m, h, b) owns query rows m*BLOCK_M .. m*BLOCK_M + BLOCK_M - 1 of request b, head h (it
exits at once when that tile starts past the request's length), and streams the
request's keys and values in BLOCK_N blocks with an online softmax in float32: the key
blocks left of its diagonal tile unmasked, the diagonal tile masked, nothing after it."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
             offs_m, offs_n, offs_d, lo, hi, seq_len, qk_scale,
             HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
             MASKED: tl.constexpr, UPCAST: tl.constexpr):
    """Folds the request's key/value blocks [lo, hi) into (acc, l_i, m_i). MASKED blocks
    may hold keys after a query or past the request's end; the others are all valid."""
    # A head_dim off a power of two is padded to BLOCK_D with masked lanes; with EVEN_D
    # the unmasked blocks load without any mask.
    EVEN_D: tl.constexpr = HEAD_DIM == offs_d.shape[0]
    d_ok = offs_d < HEAD_DIM
    for start_n in range(lo, hi, BLOCK_N):
        cols = start_n + offs_n
        # K read transposed, (BLOCK_D, BLOCK_N), so q @ k is a plain dot.
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
            keep = (cols[None, :] <= offs_m[:, None]) & kv_ok[None, :]
            qk = tl.where(keep, qk, float("-inf"))
        # log2 domain (qk_scale = sm_scale * log2 e). Every row meets a valid key in the
        # first block it folds (key 0, or the diagonal key), so m_new stays finite.
        m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
        p = tl.math.exp2(qk * qk_scale - m_new[:, None])
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
        # P rounded to V's dtype so the second product runs on the matrix units too.
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, l_i, m_i


@triton.jit
def _context_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, start_ptr, len_ptr,
                         stride_qn, stride_qh, stride_kn, stride_kh,
                         stride_vn, stride_vh, stride_on, stride_oh, qk_scale,
                         HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                         UPCAST: tl.constexpr):
    pid_m = tl.program_id(0)
    h = tl.program_id(1).to(tl.int64)
    b = tl.program_id(2)
    seq_len = tl.load(len_ptr + b)
    m0 = pid_m * BLOCK_M
    if m0 >= seq_len:
        return
    # 64-bit row offsets: N * H * D (times 3 for a fused buffer) can pass 2^31.
    first = tl.load(start_ptr + b).to(tl.int64)
    q_base = q_ptr + first * stride_qn + h * stride_qh
    k_base = k_ptr + first * stride_kn + h * stride_kh
    v_base = v_ptr + first * stride_vn + h * stride_vh
    o_base = o_ptr + first * stride_on + h * stride_oh

    offs_m = m0 + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, BLOCK_D)
    io_mask = (offs_m[:, None] < seq_len) & (offs_d[None, :] < HEAD_DIM)
    # Rows past the request's end read 0 (never another request's tokens) and are not
    # stored; q stays in registers for the whole key loop.
    q = tl.load(q_base + offs_m[:, None].to(tl.int64) * stride_qn + offs_d[None, :],
                mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    # Keys before m0 precede every query of the tile and lie inside the request: no
    # mask. The diagonal tile (BLOCK_M is a multiple of BLOCK_N) is masked.
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, 0, m0, seq_len, qk_scale,
                             HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, l_i, m_i = _fold_kv(acc, l_i, m_i, q, k_base, v_base, stride_kn, stride_vn,
                             offs_m, offs_n, offs_d, m0, tl.minimum(m0 + BLOCK_M, seq_len),
                             seq_len, qk_scale, HEAD_DIM, BLOCK_N, True, UPCAST)
    out = acc / l_i[:, None]
    tl.store(o_base + offs_m[:, None].to(tl.int64) * stride_on + offs_d[None, :],
             out.to(o_ptr.dtype.element_ty), mask=io_mask)


def context_attn_fwd(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                     b_start_loc: torch.Tensor, b_seq_len: torch.Tensor,
                     max_input_len: int, sm_scale: float) -> torch.Tensor:
    # Only a unit stride along D is needed; token and head strides are passed through.
    q, k, v = (t if t.stride(-1) == 1 else t.contiguous() for t in (q, k, v))
    n_tok, heads, head_dim = q.shape
    o = torch.empty((n_tok, heads, head_dim), device=q.device, dtype=q.dtype)
    batch = b_seq_len.shape[0]
    if o.numel() == 0 or batch == 0 or max_input_len == 0:
        return o
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the small test requests span several blocks and a tail.
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage; 4 waves of 64 lanes per 128-row tile.
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # H100/H200: Q tile 32 KB + 3 stages of K and V tiles (96 KB) in shared memory.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 32, 4, 2)
    grid = (triton.cdiv(max_input_len, block_m), heads, batch)
    _context_attn_kernel[grid](
        q, k, v, o, b_start_loc, b_seq_len,
        q.stride(0), q.stride(1), k.stride(0), k.stride(1),
        v.stride(0), v.stride(1), o.stride(0), o.stride(1), sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        # The CPU interpreter's tl.dot is wrong on bf16 operands; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return o
