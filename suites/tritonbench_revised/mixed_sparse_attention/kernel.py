"""Ground truth for mixed_sparse_attention: causal attention over a sliding window plus
per-head vertical key columns. A program owns BLOCK_M query rows of one (batch, head):
  1. window: only the key tiles that meet some row's window (i - W, i] are visited,
     dense; tiles every row sees whole run unmasked, the left edge and the diagonal
     tile are masked;
  2. vertical: the sorted column list is cut at the last column any row of the block may
     use outside its window (j <= i - W; columns inside the window were already
     counted), and those columns' key/value rows are gathered BLOCK_V at a time.
One online softmax (float32, log2 domain) runs over both parts."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _softmax_fold(acc, m_i, l_i, s, v, GUARD: tl.constexpr):
    """Folds a (BLOCK_M, n) tile of log2-domain scores s (-inf = masked) and its values."""
    m_new = tl.maximum(m_i, tl.max(s, 1))
    if GUARD:
        # A tile can hold no key for some row yet (the window's left edge): shift by 0
        # there, so exp2(-inf) = 0 instead of exp2(-inf - -inf) = NaN.
        m_ref = tl.where(m_new == float("-inf"), 0.0, m_new)
    else:
        m_ref = m_new
    alpha = tl.math.exp2(m_i - m_ref)
    p = tl.math.exp2(s - m_ref[:, None])
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _window_tiles(acc, m_i, l_i, q, k_head, v_head, rows, dd, lo, hi, S, W, qk_scale,
                  HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
                  MASKED: tl.constexpr, UPCAST: tl.constexpr):
    d_ok = dd < HEAD_DIM
    for n0 in range(lo, hi, BLOCK_N):
        cols = n0 + tl.arange(0, BLOCK_N)
        offs = cols[:, None] * HEAD_DIM + dd[None, :]
        if MASKED:
            lm = (cols[:, None] < S) & d_ok[None, :]
        else:
            lm = d_ok[None, :]
        k = tl.load(k_head + offs, mask=lm, other=0.0)
        v = tl.load(v_head + offs, mask=lm, other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * qk_scale
        if MASKED:
            ok = (cols[None, :] <= rows[:, None]) & (cols[None, :] > rows[:, None] - W) \
                & (cols[None, :] < S)
            s = tl.where(ok, s, float("-inf"))
        acc, m_i, l_i = _softmax_fold(acc, m_i, l_i, s, v, MASKED)
    return acc, m_i, l_i


@triton.jit
def _mixed_sparse_kernel(q_ptr, k_ptr, v_ptr, idx_ptr, o_ptr, S, NV, W, qk_scale,
                         HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                         BLOCK_V: tl.constexpr, BLOCK_C: tl.constexpr, UPCAST: tl.constexpr):
    pid_m = tl.num_programs(0) - 1 - tl.program_id(0)  # late rows (more columns) first
    bh = tl.program_id(1).to(tl.int64)
    base = bh * S * HEAD_DIM
    k_head = k_ptr + base
    v_head = v_ptr + base
    idx_row = idx_ptr + bh * NV

    m0 = pid_m * BLOCK_M
    rows = m0 + tl.arange(0, BLOCK_M)
    dd = tl.arange(0, BLOCK_D)
    d_ok = dd < HEAD_DIM
    io_mask = (rows[:, None] < S) & d_ok[None, :]
    io_offs = rows[:, None] * HEAD_DIM + dd[None, :]
    q = tl.load(q_ptr + base + io_offs, mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)

    # 1. Window. Keys [lo, m0) precede every row; those >= m0 + BLOCK_M - W are inside
    # every row's window, so the tiles from `inner` (rounded up to a tile) to m0 are
    # whole; the tiles before `inner` and the diagonal tiles are masked.
    lo = (tl.maximum(m0 - W + 1, 0) // BLOCK_N) * BLOCK_N
    # (Clamped at 0 before dividing: integer division truncates toward 0 on GPUs.)
    inner = tl.cdiv(tl.maximum(m0 + BLOCK_M - W, 0), BLOCK_N) * BLOCK_N
    inner = tl.minimum(tl.maximum(inner, lo), m0)
    acc, m_i, l_i = _window_tiles(acc, m_i, l_i, q, k_head, v_head, rows, dd, lo, inner, S, W,
                                  qk_scale, HEAD_DIM, BLOCK_N, True, UPCAST)
    acc, m_i, l_i = _window_tiles(acc, m_i, l_i, q, k_head, v_head, rows, dd, inner, m0, S, W,
                                  qk_scale, HEAD_DIM, BLOCK_N, False, UPCAST)
    acc, m_i, l_i = _window_tiles(acc, m_i, l_i, q, k_head, v_head, rows, dd,
                                  m0, tl.minimum(m0 + BLOCK_M, S), S, W,
                                  qk_scale, HEAD_DIM, BLOCK_N, True, UPCAST)

    # 2. Vertical columns j <= i - W. The list is sorted: count the entries some row of
    # the block can use (j <= m0 + BLOCK_M - 1 - W) and gather only those.
    last = m0 + BLOCK_M - 1 - W
    n_use = 0
    for c0 in range(0, NV, BLOCK_C):
        e = c0 + tl.arange(0, BLOCK_C)
        col = tl.load(idx_row + e, mask=e < NV, other=0)
        n_use += tl.sum(((e < NV) & (col <= last)).to(tl.int32), 0)
    # Every row already holds its own key (window >= 1), so the running max is finite
    # and a tile with no usable column for a row leaves it unchanged.
    for t0 in range(0, n_use, BLOCK_V):
        e = t0 + tl.arange(0, BLOCK_V)
        e_ok = e < n_use
        col = tl.load(idx_row + e, mask=e_ok, other=0)
        offs = col[:, None].to(tl.int64) * HEAD_DIM + dd[None, :]
        lm = e_ok[:, None] & d_ok[None, :]
        k = tl.load(k_head + offs, mask=lm, other=0.0)
        v = tl.load(v_head + offs, mask=lm, other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        s = tl.dot(q, tl.trans(k)) * qk_scale
        s = tl.where(e_ok[None, :] & (col[None, :] <= rows[:, None] - W), s, float("-inf"))
        acc, m_i, l_i = _softmax_fold(acc, m_i, l_i, s, v, False)

    out = acc / l_i[:, None]
    tl.store(o_ptr + base + io_offs, out.to(o_ptr.dtype.element_ty), mask=io_mask)


def mixed_sparse_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                           v_idx: torch.Tensor, window: int, sm_scale: float) -> torch.Tensor:
    q, k, v, v_idx = q.contiguous(), k.contiguous(), v.contiguous(), v_idx.contiguous()
    batch, heads, seq, head_dim = q.shape
    nv = v_idx.shape[-1]
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, block_v, warps, stages = 16, 16, 16, 4, 1
    elif torch.version.hip:
        block_m, block_n, block_v, warps, stages = 128, 64, 64, 4, 1
    else:
        # Hopper: the window part is a dense flash-attention loop; gathered column tiles
        # are as wide as the key tiles.
        block_m, block_n, block_v, warps, stages = (128, 64, 64, 8, 3) if block_d <= 128 \
            else (64, 32, 32, 4, 2)
    grid = (triton.cdiv(seq, block_m), batch * heads)
    _mixed_sparse_kernel[grid](
        q, k, v, v_idx, out, seq, nv, int(window), sm_scale * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        BLOCK_V=block_v, BLOCK_C=256,
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out
