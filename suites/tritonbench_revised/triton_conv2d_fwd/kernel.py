"""Ground truth for triton_conv2d_fwd: an implicit GEMM. Output pixels (n, p, q) are the
GEMM rows, output channels k the columns, and (r, s, c) the reduction index; the input
patch matrix is never materialized: each BLOCK_M x BLOCK_K tile of it is gathered from
x on the fly (zero outside the image), so padding costs nothing extra.

In NCHW, neighbouring output pixels read neighbouring input addresses, so the gather is
coalesced along the pixel (row) axis. The weight is laid out once as a (R*S*C, K)
matrix so its tiles are contiguous along K."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _load_tiles(x_ptr, w_ptr, x_img, ih0, iw0, m_ok, ko, k_ok, k0, C, H, W, K, GK, S,
                BLOCK_K: tl.constexpr):
    """The (BLOCK_M, BLOCK_K) patch tile and the (BLOCK_K, BLOCK_N) weight tile at
    reduction offset k0; everything past GK (or outside the image) loads as 0."""
    # Decode the reduction index g = (r * S + s) * C + c.
    g = k0 + tl.arange(0, BLOCK_K)
    g_ok = g < GK
    c = g % C
    rs = g // C
    ih = ih0[:, None] + (rs // S)[None, :]
    iw = iw0[:, None] + (rs % S)[None, :]
    a_mask = m_ok[:, None] & g_ok[None, :] & (ih >= 0) & (ih < H) & (iw >= 0) & (iw < W)
    a = tl.load(x_ptr + x_img[:, None] + (c * (H * W))[None, :] + ih * W + iw, mask=a_mask, other=0.0)
    b = tl.load(w_ptr + g.to(tl.int64)[:, None] * K + ko[None, :],
                mask=g_ok[:, None] & k_ok[None, :], other=0.0)
    return a, b


@triton.jit
def _conv2d_igemm_kernel(x_ptr, w_ptr, out_ptr, NPQ, C, H, W, K, P, Q, GK,
                         stride, padding, S,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                         GROUP_M: tl.constexpr):
    # Grouped launch order over (pixel tiles, channel tiles) for L2 reuse.
    pid = tl.program_id(0)
    tiles_n = tl.cdiv(K, BLOCK_N)
    band = pid // (GROUP_M * tiles_n)
    first_m = band * GROUP_M
    rows_in_band = tl.minimum(tl.cdiv(NPQ, BLOCK_M) - first_m, GROUP_M)
    local = pid - band * GROUP_M * tiles_n
    pid_m = first_m + local % rows_in_band
    pid_n = local // rows_in_band

    pix = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    ko = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    m_ok = pix < NPQ
    k_ok = ko < K
    nb = pix // (P * Q)
    pq = pix % (P * Q)
    ih0 = (pq // Q) * stride - padding
    iw0 = (pq % Q) * stride - padding
    # 64-bit image offsets: N * C * H * W may pass 2^31 (one image stays below).
    x_img = nb.to(tl.int64) * C * H * W

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    # The patch gather is not contiguous, so the compiler cannot stage it through
    # async copies: prefetch by hand instead, issuing the next tiles' loads before the
    # current tiles' dot so their latency overlaps it.
    a, b = _load_tiles(x_ptr, w_ptr, x_img, ih0, iw0, m_ok, ko, k_ok, 0, C, H, W, K, GK, S, BLOCK_K)
    for k0 in range(0, GK, BLOCK_K):
        a_next, b_next = _load_tiles(x_ptr, w_ptr, x_img, ih0, iw0, m_ok, ko, k_ok, k0 + BLOCK_K,
                                     C, H, W, K, GK, S, BLOCK_K)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(a, b, acc)
        a = a_next
        b = b_next

    # out[n, k, p, q]: contiguous along the pixel axis within one (n, k) plane.
    o_ptrs = out_ptr + (nb.to(tl.int64) * K * P * Q + pq)[:, None] + ko.to(tl.int64)[None, :] * (P * Q)
    tl.store(o_ptrs, acc.to(out_ptr.dtype.element_ty), mask=m_ok[:, None] & k_ok[None, :])


def triton_conv2d_fwd(x: torch.Tensor, weight: torch.Tensor, stride: int, padding: int) -> torch.Tensor:
    x = x.contiguous()
    n, c, h, w = x.shape
    k, _, r, s = weight.shape
    p = (h + 2 * padding - r) // stride + 1
    q = (w + 2 * padding - s) // stride + 1
    out = torch.empty((n, k, p, q), device=x.device, dtype=x.dtype)
    if out.numel() == 0:
        return out
    # (K, C, R, S) -> (R, S, C, K): row (r * S + s) * C + c of the GEMM's B matrix.
    w_gemm = weight.permute(2, 3, 1, 0).contiguous()
    gk = r * s * c
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Big enough that the interpreter runs few programs, small enough that the test
        # shapes still have pixel, channel and reduction tails.
        bm, bn, bk, warps, stages = 64, 16, 32, 4, 1
    elif torch.version.hip:
        bm, bn, bk, warps, stages = 128, 128, 32, 8, 2
    else:
        bm, bn, bk, warps, stages = 128, 128, 32, 8, 3
    # Layers with few output channels (64) get narrower tiles instead of masked columns.
    bn = min(bn, max(16, triton.next_power_of_2(k)))
    grid = (triton.cdiv(n * p * q, bm) * triton.cdiv(k, bn),)
    _conv2d_igemm_kernel[grid](x, w_gemm, out, n * p * q, c, h, w, k, p, q, gk,
                               stride, padding, s,
                               BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                               num_warps=warps, num_stages=stages)
    return out
