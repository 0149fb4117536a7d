"""Ground truth for token_attn_mistral: split-K (flash-decoding) sliding-window decode
attention over a paged KV cache, in two kernels.

Stage 1, program (b, j, s): the G = Hq / Hkv query heads sharing kv head j, against
split s of request b's window (split_len consecutive positions). It gathers BLOCK_N
positions at a time through the block table (each cached key and value row is read
once for the whole group), scores them with one tl.dot (the G query rows padded to
16), and keeps an online softmax (running max, running sum, unnormalised output) in
float32; it writes those three per split. Splitting the window gives B * Hkv * splits
programs, so a small batch still fills the GPU.

Stage 2, program (b, h): rescales the splits to their common max and normalises."""

import functools
import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _window_split_kernel(q_ptr, k_ptr, v_ptr, bt_ptr, len_ptr, o_part, m_part, l_part,
                         window, split_len, qk_scale, num_splits, HQ,
                         stride_qb, stride_qh, stride_kb, stride_ks, stride_kh,
                         stride_vb, stride_vs, stride_vh, stride_bt,
                         GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_SIZE: tl.constexpr,
                         BLOCK_G: tl.constexpr, BLOCK_D: tl.constexpr,
                         BLOCK_N: tl.constexpr, UPCAST: tl.constexpr):
    b = tl.program_id(0).to(tl.int64)
    kvh = tl.program_id(1)
    sp = tl.program_id(2)
    n = tl.load(len_ptr + b)
    # The window is positions [lo, n); split sp covers [s_lo, s_hi) of it (may be empty).
    lo = tl.maximum(n - window, 0)
    s_lo = lo + sp * split_len
    s_hi = tl.minimum(s_lo + split_len, n)

    offs_g = tl.arange(0, BLOCK_G)
    g_ok = offs_g < GROUP
    heads = (kvh * GROUP + offs_g).to(tl.int64)
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    q = tl.load(q_ptr + b * stride_qb + heads[:, None] * stride_qh + offs_d[None, :],
                mask=g_ok[:, None] & d_ok[None, :], other=0.0)
    if UPCAST:
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        q = q.to(tl.float32)

    m_i = tl.full([BLOCK_G], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_G], dtype=tl.float32)
    acc = tl.zeros([BLOCK_G, BLOCK_D], dtype=tl.float32)
    offs_n = tl.arange(0, BLOCK_N)
    k_head = k_ptr + kvh * stride_kh
    v_head = v_ptr + kvh * stride_vh
    for n0 in range(s_lo, s_hi, BLOCK_N):
        pos = n0 + offs_n
        ok = pos < s_hi
        # Physical block and slot of each position; 64-bit cache offsets.
        blk = tl.load(bt_ptr + b * stride_bt + pos // BLOCK_SIZE, mask=ok, other=0).to(tl.int64)
        slot = (pos % BLOCK_SIZE).to(tl.int64)
        kt = tl.load(k_head + blk[None, :] * stride_kb + slot[None, :] * stride_ks + offs_d[:, None],
                     mask=d_ok[:, None] & ok[None, :], other=0.0)
        if UPCAST:
            kt = kt.to(tl.float32)
        # Scores in the log2 domain (qk_scale = sm_scale * log2(e)). The first tile of a
        # non-empty split holds its first position, so m_new is finite from then on.
        s = tl.dot(q, kt) * qk_scale
        s = tl.where(ok[None, :], s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, 1))
        p = tl.math.exp2(s - m_new[:, None])
        alpha = tl.math.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, 1)
        vals = tl.load(v_head + blk[:, None] * stride_vb + slot[:, None] * stride_vs + offs_d[None, :],
                       mask=ok[:, None] & d_ok[None, :], other=0.0)
        if UPCAST:
            vals = vals.to(tl.float32)
        # P is rounded to V's dtype so the second product also runs on the matrix units.
        acc = tl.dot(p.to(vals.dtype), vals, acc * alpha[:, None])
        m_i = m_new

    # Partials laid out (B, Hq, splits[, D]); an empty split leaves m = -inf, l = 0.
    row = (b * HQ + heads) * num_splits + sp
    tl.store(m_part + row, m_i, mask=g_ok)
    tl.store(l_part + row, l_i, mask=g_ok)
    tl.store(o_part + row[:, None] * HEAD_DIM + offs_d[None, :], acc,
             mask=g_ok[:, None] & d_ok[None, :])


@triton.jit
def _combine_kernel(o_part, m_part, l_part, out_ptr, num_splits, HQ,
                    stride_ob, stride_oh,
                    HEAD_DIM: tl.constexpr, BLOCK_S: tl.constexpr, BLOCK_D: tl.constexpr):
    b = tl.program_id(0).to(tl.int64)
    h = tl.program_id(1)
    offs_s = tl.arange(0, BLOCK_S)
    s_ok = offs_s < num_splits
    offs_d = tl.arange(0, BLOCK_D)
    d_ok = offs_d < HEAD_DIM
    row = (b * HQ + h) * num_splits + offs_s
    m = tl.load(m_part + row, mask=s_ok, other=float("-inf"))
    l = tl.load(l_part + row, mask=s_ok, other=0.0)
    # Split 0 always holds the window's first position, so m_max is finite and the
    # weight of an empty (or padding) split is exp2(-inf) = 0.
    m_max = tl.max(m, 0)
    w = tl.math.exp2(m - m_max)
    denom = tl.sum(w * l, 0)
    acc = tl.load(o_part + row[:, None] * HEAD_DIM + offs_d[None, :],
                  mask=s_ok[:, None] & d_ok[None, :], other=0.0)
    o = tl.sum(acc * w[:, None], 0) / denom
    tl.store(out_ptr + b * stride_ob + h * stride_oh + offs_d, o.to(out_ptr.dtype.element_ty),
             mask=d_ok)


@functools.lru_cache(maxsize=None)
def _num_sms(index):
    return torch.cuda.get_device_properties(index).multi_processor_count


def token_attn_mistral(q: torch.Tensor, k_cache: torch.Tensor, v_cache: torch.Tensor,
                       block_tables: torch.Tensor, seq_lens: torch.Tensor, window: int,
                       sm_scale: float) -> torch.Tensor:
    batch, hq, head_dim = q.shape
    _, block_size, hkv, _ = k_cache.shape
    group = hq // hkv
    q = q if q.stride(-1) == 1 else q.contiguous()
    k_cache = k_cache if k_cache.stride(-1) == 1 else k_cache.contiguous()
    v_cache = v_cache if v_cache.stride(-1) == 1 else v_cache.contiguous()
    block_tables = block_tables if block_tables.stride(-1) == 1 else block_tables.contiguous()
    out = torch.empty((batch, hq, head_dim), device=q.device, dtype=q.dtype)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    block_g = max(16, triton.next_power_of_2(group))  # tl.dot needs M >= 16
    # The longest window any request can have.
    max_window = max(1, min(window, block_tables.shape[1] * block_size))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles and 2-tile splits, so the test windows span several splits,
        # tiles and tails.
        block_n, warps, stages = 16, 4, 1
        split_len = 2 * block_n
    else:
        if torch.version.hip:
            # MI300: 64-lane waves, no cp.async pipelining: one stage.
            block_n, warps, stages = 64, 4, 1
        else:
            # H100/H200: 64-position tiles (16 KB of keys and 16 KB of values at D = 128,
            # fp16), 2 stages in flight.
            block_n, warps, stages = (64, 4, 2) if block_d <= 128 else (32, 4, 2)
        # Enough splits for ~4 programs per SM, each at least one tile long.
        tiles = triton.cdiv(max_window, block_n)
        splits = min(tiles, max(1, triton.cdiv(4 * _num_sms(q.device.index or 0), batch * hkv)))
        split_len = triton.cdiv(tiles, splits) * block_n
    num_splits = triton.cdiv(max_window, split_len)
    o_part = torch.empty((batch, hq, num_splits, head_dim), device=q.device, dtype=torch.float32)
    m_part = torch.empty((batch, hq, num_splits), device=q.device, dtype=torch.float32)
    l_part = torch.empty((batch, hq, num_splits), device=q.device, dtype=torch.float32)
    _window_split_kernel[(batch, hkv, num_splits)](
        q, k_cache, v_cache, block_tables, seq_lens, o_part, m_part, l_part,
        window, split_len, sm_scale * LOG2E, num_splits, hq,
        q.stride(0), q.stride(1), k_cache.stride(0), k_cache.stride(1), k_cache.stride(2),
        v_cache.stride(0), v_cache.stride(1), v_cache.stride(2), block_tables.stride(0),
        GROUP=group, HEAD_DIM=head_dim, BLOCK_SIZE=block_size, BLOCK_G=block_g, BLOCK_D=block_d, BLOCK_N=block_n,
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    _combine_kernel[(batch, hq)](
        o_part, m_part, l_part, out, num_splits, hq, out.stride(0), out.stride(1),
        HEAD_DIM=head_dim, BLOCK_S=max(2, triton.next_power_of_2(num_splits)), BLOCK_D=block_d,
        num_warps=4)
    return out
