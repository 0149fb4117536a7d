"""Ground truth for flash_attn: soft-capped attention (Gemma 2 style) on (B, S, H, D)
tensors with grouped kv heads. A program owns BLOCK_M query rows of one head and streams
the kv head's key/value tiles with an online softmax in float32. Each score tile is
capped as softcap * tanh(x / softcap) before masking; tanh is evaluated from one exp2 of
-2|x| (no overflow for any x). With causal, tiles past the diagonal are skipped."""

import os

import torch
import triton
import triton.language as tl

LOG2E = 1.4426950408889634


@triton.jit
def _capped_tiles(acc, m_i, l_i, q, k_head, v_head, row_stride, rows, dd, lo, hi, S,
                  in_scale, out_scale, HEAD_DIM: tl.constexpr, BLOCK_N: tl.constexpr,
                  EDGE: tl.constexpr, CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    """Key rows [lo, hi). EDGE tiles may hold keys >= S or (CAUSAL) keys after a row and
    are masked; interior tiles are loaded and used whole."""
    d_ok = dd < HEAD_DIM
    FULL_D: tl.constexpr = HEAD_DIM == dd.shape[0]
    for n0 in range(lo, hi, BLOCK_N):
        keys = n0 + tl.arange(0, BLOCK_N)
        offs = keys[:, None] * row_stride + dd[None, :]
        if EDGE:
            lm = (keys[:, None] < S) & d_ok[None, :]
            k = tl.load(k_head + offs, mask=lm, other=0.0)
            v = tl.load(v_head + offs, mask=lm, other=0.0)
        elif FULL_D:
            k = tl.load(k_head + offs)
            v = tl.load(v_head + offs)
        else:
            k = tl.load(k_head + offs, mask=d_ok[None, :], other=0.0)
            v = tl.load(v_head + offs, mask=d_ok[None, :], other=0.0)
        if UPCAST:
            k = k.to(tl.float32)
            v = v.to(tl.float32)
        # z = sm_scale * q.k / softcap; tanh(z) = sign(z) (1 - e) / (1 + e), e = exp(-2|z|).
        z = tl.dot(q, tl.trans(k)) * in_scale
        e = tl.math.exp2(tl.abs(z) * (-2.0 * 1.4426950408889634))
        t = (1.0 - e) / (1.0 + e)
        s = tl.where(z < 0, -t, t) * out_scale  # softcap * tanh(z) * log2(e)
        if EDGE:
            ok = keys[None, :] < S
            if CAUSAL:
                ok = ok & (keys[None, :] <= rows[:, None])
            s = tl.where(ok, s, float("-inf"))
        # The first tile a row sees holds key 0 (or is interior): m_new stays finite.
        m_new = tl.maximum(m_i, tl.max(s, 1))
        alpha = tl.math.exp2(m_i - m_new)
        p = tl.math.exp2(s - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, 1)
        acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
        m_i = m_new
    return acc, m_i, l_i


@triton.jit
def _softcap_attn_kernel(q_ptr, k_ptr, v_ptr, o_ptr, S, H, GROUP, in_scale, out_scale,
                         HEAD_DIM: tl.constexpr, BLOCK_D: tl.constexpr,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                         CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    if CAUSAL:
        pid_m = tl.num_programs(0) - 1 - tl.program_id(0)  # long rows first
    else:
        pid_m = tl.program_id(0)
    bh = tl.program_id(1)
    b = (bh // H).to(tl.int64)
    h = bh % H
    hkv = H // GROUP
    q_stride = H * HEAD_DIM
    kv_stride = hkv * HEAD_DIM
    q_head = q_ptr + b * S * q_stride + h * HEAD_DIM
    o_head = o_ptr + b * S * q_stride + h * HEAD_DIM
    k_head = k_ptr + b * S * kv_stride + (h // GROUP) * HEAD_DIM
    v_head = v_ptr + b * S * kv_stride + (h // GROUP) * HEAD_DIM

    rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    dd = tl.arange(0, BLOCK_D)
    io_mask = (rows[:, None] < S) & (dd[None, :] < HEAD_DIM)
    q_offs = rows[:, None] * q_stride + dd[None, :]
    q = tl.load(q_head + q_offs, mask=io_mask, other=0.0)
    if UPCAST:
        q = q.to(tl.float32)

    acc = tl.zeros([BLOCK_M, BLOCK_D], dtype=tl.float32)
    m_i = tl.full([BLOCK_M], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_M], dtype=tl.float32)
    if CAUSAL:
        interior = pid_m * BLOCK_M  # BLOCK_M is a multiple of BLOCK_N
        edge_end = tl.minimum(interior + BLOCK_M, S)
    else:
        interior = (S // BLOCK_N) * BLOCK_N
        edge_end = S
    acc, m_i, l_i = _capped_tiles(acc, m_i, l_i, q, k_head, v_head, kv_stride, rows, dd,
                                  0, interior, S, in_scale, out_scale,
                                  HEAD_DIM, BLOCK_N, False, CAUSAL, UPCAST)
    acc, m_i, l_i = _capped_tiles(acc, m_i, l_i, q, k_head, v_head, kv_stride, rows, dd,
                                  interior, edge_end, S, in_scale, out_scale,
                                  HEAD_DIM, BLOCK_N, True, CAUSAL, UPCAST)
    out = acc / l_i[:, None]
    tl.store(o_head + q_offs, out.to(o_ptr.dtype.element_ty), mask=io_mask)


def flash_attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool,
               sm_scale: float, softcap: float) -> torch.Tensor:
    q, k, v = q.contiguous(), k.contiguous(), v.contiguous()
    batch, seq, heads, head_dim = q.shape
    out = torch.empty_like(q)
    if out.numel() == 0:
        return out
    block_d = max(16, triton.next_power_of_2(head_dim))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        block_m, block_n, warps, stages = 16, 16, 4, 1
    elif torch.version.hip:
        # MI300: one LDS stage, 4 waves.
        block_m, block_n, warps, stages = (128, 64, 4, 1) if block_d <= 128 else (64, 32, 4, 1)
    else:
        # Hopper; head dim 256 (Gemma 2) halves the tiles to stay in registers.
        block_m, block_n, warps, stages = (128, 64, 8, 3) if block_d <= 128 else (64, 64, 4, 2)
    grid = (triton.cdiv(seq, block_m), batch * heads)
    _softcap_attn_kernel[grid](
        q, k, v, out, seq, heads, heads // k.shape[2],
        sm_scale / softcap, softcap * LOG2E,
        HEAD_DIM=head_dim, BLOCK_D=block_d, BLOCK_M=block_m, BLOCK_N=block_n,
        CAUSAL=bool(causal),
        # The CPU interpreter's bf16 arithmetic and tl.dot are wrong; bf16 -> fp32 is exact.
        UPCAST=interpret and q.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return out
