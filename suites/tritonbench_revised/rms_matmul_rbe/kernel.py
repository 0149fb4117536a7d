"""Ground truth for rms_matmul_rbe: a small kernel computes each row's RMS scale
1 / sqrt(mean(x^2) + eps); the main kernel then computes one BLOCK_M x BLOCK_N tile of
RMSNorm(x) @ W, normalizing each x tile on the fly before tl.dot, and applies the
interleaved rotary embedding to the float32 accumulator before the only store."""

import math
import os

import torch
import triton
import triton.language as tl

LOG2_THETA = math.log2(10000.0)
# 2*pi split for Cody-Waite range reduction: TWO_PI_HI has 8 significant bits, so
# k * TWO_PI_HI is exact for every k < 2^16 (angles up to ~4e5 rad).
TWO_PI_HI = 6.28125
TWO_PI_LO = 2.0 * math.pi - 6.28125


@triton.jit
def _row_rstd_kernel(x_ptr, rstd_ptr, D, stride_xm, eps, BLOCK_D: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK_D)
    acc = tl.zeros([BLOCK_D], tl.float32)
    for d0 in range(0, D, BLOCK_D):
        x = tl.load(x_ptr + row * stride_xm + d0 + cols, mask=d0 + cols < D, other=0.0).to(tl.float32)
        acc += x * x
    tl.store(rstd_ptr + row, tl.rsqrt(tl.sum(acc, axis=0) / D + eps))


@triton.jit
def _rms_matmul_rbe_kernel(x_ptr, g_ptr, w_ptr, pos_ptr, rstd_ptr, out_ptr, M, N, D,
                           stride_xm, stride_wd, stride_om,
                           HEAD_DIM: tl.constexpr, LOG2_THETA: tl.constexpr,
                           TWO_PI_HI: tl.constexpr, TWO_PI_LO: tl.constexpr,
                           BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                           GROUP_M: tl.constexpr):
    # Grouped launch order: GROUP_M tile-rows at a time, so concurrently running
    # programs share the same x rows and W columns in L2.
    pid = tl.program_id(0)
    tiles_n = tl.cdiv(N, BLOCK_N)
    band = pid // (GROUP_M * tiles_n)
    first_m = band * GROUP_M
    rows_in_band = tl.minimum(tl.cdiv(M, BLOCK_M) - first_m, GROUP_M)
    local = pid - band * GROUP_M * tiles_n
    pid_m = first_m + local % rows_in_band
    pid_n = local // rows_in_band

    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    m_ok = rm < M
    n_ok = rn < N
    rstd = tl.load(rstd_ptr + rm, mask=m_ok, other=0.0)
    # 64-bit row offsets: M * D or M * N may pass 2^31.
    x_ptrs = x_ptr + rm.to(tl.int64)[:, None] * stride_xm + rk[None, :]
    w_ptrs = w_ptr + rk.to(tl.int64)[:, None] * stride_wd + rn[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, D, BLOCK_K):
        k_ok = k0 + rk < D
        x = tl.load(x_ptrs, mask=m_ok[:, None] & k_ok[None, :], other=0.0).to(tl.float32)
        g = tl.load(g_ptr + k0 + rk, mask=k_ok, other=0.0).to(tl.float32)
        # RMSNorm in float32, rounded once to float16 (as an unfused RMSNorm would
        # store it) to feed the tensor cores.
        a = (x * rstd[:, None] * g[None, :]).to(w_ptr.dtype.element_ty)
        b = tl.load(w_ptrs, mask=k_ok[:, None] & n_ok[None, :], other=0.0)
        acc = tl.dot(a, b, acc)
        x_ptrs += BLOCK_K
        w_ptrs += BLOCK_K * stride_wd

    # Interleaved rotary embedding on the float32 tile: columns (2j, 2j+1) are a pair.
    # BLOCK_N and every head's first column are even, so pairs never straddle tiles.
    y0, y1 = tl.split(tl.reshape(acc, (BLOCK_M, BLOCK_N // 2, 2)))
    pair = pid_n * (BLOCK_N // 2) + tl.arange(0, BLOCK_N // 2)
    i = pair % (HEAD_DIM // 2)  # pair index within the head
    inv_freq = tl.exp2(i.to(tl.float32) * (-2.0 * LOG2_THETA / HEAD_DIM))
    pos = tl.load(pos_ptr + rm, mask=m_ok, other=0).to(tl.float32)
    angle = pos[:, None] * inv_freq[None, :]
    # Reduce to [-pi, pi] first: fast GPU sin/cos lose accuracy on large arguments
    # (positions reach thousands of radians).
    k = tl.floor(angle * (0.5 / 3.141592653589793) + 0.5)
    r = (angle - k * TWO_PI_HI) - k * TWO_PI_LO
    c = tl.cos(r)
    s = tl.sin(r)
    o0 = y0 * c - y1 * s
    o1 = y0 * s + y1 * c
    out = tl.reshape(tl.join(o0, o1), (BLOCK_M, BLOCK_N))
    o_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + rn[None, :]
    tl.store(o_ptrs, out.to(out_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def rms_matmul_rbe(x: torch.Tensor, rms_weight: torch.Tensor, w: torch.Tensor,
                   positions: torch.Tensor, head_dim: int, eps: float) -> torch.Tensor:
    x, rms_weight, w, positions = x.contiguous(), rms_weight.contiguous(), w.contiguous(), positions.contiguous()
    m, d = x.shape
    n = w.shape[1]
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if m == 0 or n == 0:
        return out
    rstd = torch.empty((m,), device=x.device, dtype=torch.float32)
    _row_rstd_kernel[(m,)](x, rstd, d, x.stride(0), eps,
                           BLOCK_D=min(4096, triton.next_power_of_2(d)), num_warps=4)

    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles so the small test shapes span several tiles (and tails).
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1
    elif torch.version.hip:
        bm, bn, bk, warps, stages = 128, 128, 32, 8, 2
    else:
        # The x tile is scaled in registers before the dot, so a 128x128 fp32
        # accumulator (not 128x256) keeps 8 warps clear of register spills.
        bm, bn, bk, warps, stages = 128, 128, 64, 8, 4
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _rms_matmul_rbe_kernel[grid](x, rms_weight, w, positions, rstd, out, m, n, d,
                                 x.stride(0), w.stride(0), out.stride(0),
                                 HEAD_DIM=head_dim, LOG2_THETA=LOG2_THETA,
                                 TWO_PI_HI=TWO_PI_HI, TWO_PI_LO=TWO_PI_LO,
                                 BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                                 num_warps=warps, num_stages=stages)
    return out
