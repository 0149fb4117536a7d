"""Ground truth for rms_rbe_matmul: one pass over D. Each program owns BLOCK_M rows and
BLOCK_H pair indices of one head, i.e. two column blocks of w (first and second half
of the head) and two float32 accumulators. x * rms_weight feeds tl.dot; the row's sum
of squares is accumulated from the same x tiles, so the 1 / rms scale is applied to the
accumulators at the end (it is constant along each row). The rotate-half rotation then
mixes the two accumulators with the cos/sin table rows of each token's position."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _rms_rbe_matmul_kernel(x_ptr, g_ptr, w_ptr, cos_ptr, sin_ptr, out_ptr, M, N, D, SEQ, eps,
                           stride_xm, stride_wd, stride_om,
                           HALF: tl.constexpr, BLOCKS_PER_HALF: tl.constexpr,
                           BLOCK_M: tl.constexpr, BLOCK_H: tl.constexpr, BLOCK_K: tl.constexpr,
                           GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    # Grouped launch order over (row tiles, column blocks) for L2 reuse of x and w.
    pid = tl.program_id(0)
    tiles_n = (N // (2 * HALF)) * BLOCKS_PER_HALF
    band = pid // (GROUP_M * tiles_n)
    first_m = band * GROUP_M
    rows_in_band = tl.minimum(tl.cdiv(M, BLOCK_M) - first_m, GROUP_M)
    local = pid - band * GROUP_M * tiles_n
    pid_m = first_m + local % rows_in_band
    pid_n = local // rows_in_band
    head = pid_n // BLOCKS_PER_HALF

    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    j = (pid_n % BLOCKS_PER_HALF) * BLOCK_H + tl.arange(0, BLOCK_H)  # pair index in head
    rk = tl.arange(0, BLOCK_K)
    m_ok = rm < M
    j_ok = j < HALF
    col1 = head * (2 * HALF) + j  # first-half column; its partner is col1 + HALF
    # 64-bit row offsets: M * D or M * N may pass 2^31.
    x_ptrs = x_ptr + rm.to(tl.int64)[:, None] * stride_xm + rk[None, :]
    w1_ptrs = w_ptr + rk.to(tl.int64)[:, None] * stride_wd + col1[None, :]
    acc1 = tl.zeros((BLOCK_M, BLOCK_H), dtype=tl.float32)
    acc2 = tl.zeros((BLOCK_M, BLOCK_H), dtype=tl.float32)
    sumsq = tl.zeros((BLOCK_M,), dtype=tl.float32)
    for k0 in range(0, D, BLOCK_K):
        k_ok = k0 + rk < D
        x = tl.load(x_ptrs, mask=m_ok[:, None] & k_ok[None, :], other=0.0).to(tl.float32)
        g = tl.load(g_ptr + k0 + rk, mask=k_ok, other=0.0).to(tl.float32)
        sumsq += tl.sum(x * x, axis=1)
        a = (x * g[None, :]).to(x_ptr.dtype.element_ty)
        b_mask = k_ok[:, None] & j_ok[None, :]
        b1 = tl.load(w1_ptrs, mask=b_mask, other=0.0)
        b2 = tl.load(w1_ptrs + HALF, mask=b_mask, other=0.0)
        if UPCAST:
            # The CPU interpreter's tl.dot is wrong on bf16; bf16 -> fp32 is exact.
            a = a.to(tl.float32)
            b1 = b1.to(tl.float32)
            b2 = b2.to(tl.float32)
        acc1 = tl.dot(a, b1, acc1)
        acc2 = tl.dot(a, b2, acc2)
        x_ptrs += BLOCK_K
        w1_ptrs += BLOCK_K * stride_wd

    rstd = tl.rsqrt(sumsq / D + eps)
    y1 = acc1 * rstd[:, None]
    y2 = acc2 * rstd[:, None]
    pos = rm % SEQ
    t_mask = m_ok[:, None] & j_ok[None, :]
    t_off = pos[:, None] * HALF + j[None, :]
    c = tl.load(cos_ptr + t_off, mask=t_mask, other=0.0)
    s = tl.load(sin_ptr + t_off, mask=t_mask, other=0.0)
    o_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + col1[None, :]
    ty = out_ptr.dtype.element_ty
    tl.store(o_ptrs, (y1 * c - y2 * s).to(ty), mask=t_mask)
    tl.store(o_ptrs + HALF, (y2 * c + y1 * s).to(ty), mask=t_mask)


def rms_rbe_matmul(x: torch.Tensor, rms_weight: torch.Tensor, w: torch.Tensor,
                   cos: torch.Tensor, sin: torch.Tensor, eps: float) -> torch.Tensor:
    x, rms_weight, w = x.contiguous(), rms_weight.contiguous(), w.contiguous()
    cos, sin = cos.contiguous(), sin.contiguous()
    m, d = x.shape
    n = w.shape[1]
    seq, half = cos.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if m == 0 or n == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles so the small test shapes span several tiles (and tails).
        bm, bh_max, bk, warps, stages = 32, 16, 32, 4, 1
    elif torch.version.hip:
        bm, bh_max, bk, warps, stages = 128, 64, 32, 8, 2
    else:
        # Two 128x64 accumulators (one 128x128 tile's worth); 4 stages of 128x64 + 2 x
        # 64x64 16-bit tiles = 128 KB of shared memory.
        bm, bh_max, bk, warps, stages = 128, 64, 64, 8, 4
    # tl.dot needs N >= 16; head_dim / 2 off a power of two (e.g. 48) is masked.
    bh = max(16, min(bh_max, triton.next_power_of_2(half)))
    blocks_per_half = triton.cdiv(half, bh)
    grid = (triton.cdiv(m, bm) * (n // (2 * half)) * blocks_per_half,)
    _rms_rbe_matmul_kernel[grid](x, rms_weight, w, cos, sin, out, m, n, d, seq, eps,
                                 x.stride(0), w.stride(0), out.stride(0),
                                 HALF=half, BLOCKS_PER_HALF=blocks_per_half,
                                 BLOCK_M=bm, BLOCK_H=bh, BLOCK_K=bk, GROUP_M=8,
                                 UPCAST=interpret and x.dtype == torch.bfloat16,
                                 num_warps=warps, num_stages=stages)
    return out
