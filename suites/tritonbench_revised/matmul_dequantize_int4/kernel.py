"""Ground truth for matmul_dequantize_int4: each program computes one BLOCK_M x BLOCK_N
output tile, walking K in BLOCK_K steps inside one quantization group each; every step
unpacks a BLOCK_K x BLOCK_N tile of nibbles, applies the group's float16 zero points and
scales in float32, rounds the weight to float16 and feeds it to tl.dot."""

import os

import torch
import triton
import triton.language as tl

GROUP_SIZE = 64


@triton.jit
def _w4_zp_matmul_kernel(x_ptr, qw_ptr, s_ptr, z_ptr, out_ptr, M, N, K,
                         stride_xm, stride_qk, stride_sg, stride_zg, stride_om,
                         GROUP: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                         BLOCK_K: tl.constexpr, GROUP_M: tl.constexpr):
    # Launch order: GROUP_M tile-rows at a time, column by column (L2 reuse).
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
    x_ptrs = x_ptr + rm.to(tl.int64)[:, None] * stride_xm + rk[None, :]
    # Column n is nibble n % 8 of word n // 8: 8 neighbouring columns read the same word
    # (the repeats hit L1).
    qw_ptrs = qw_ptr + rk.to(tl.int64)[:, None] * stride_qk + (rn // 8)[None, :]
    shift = ((rn % 8) * 4)[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    # K is a multiple of GROUP and BLOCK_K divides GROUP: no K tail, one group per step.
    for kt in range(0, K // BLOCK_K):
        g = (kt * BLOCK_K) // GROUP
        x = tl.load(x_ptrs, mask=m_ok[:, None], other=0.0)
        words = tl.load(qw_ptrs, mask=n_ok[None, :], other=0)
        s = tl.load(s_ptr + g * stride_sg + rn, mask=n_ok, other=0.0).to(tl.float32)
        z = tl.load(z_ptr + g * stride_zg + rn, mask=n_ok, other=0.0).to(tl.float32)
        q = ((words >> shift) & 0xF).to(tl.float32)
        w = ((q - z[None, :]) * s[None, :]).to(tl.float16)
        acc = tl.dot(x, w, acc)
        x_ptrs += BLOCK_K
        qw_ptrs += BLOCK_K * stride_qk
    out_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + rn[None, :]
    tl.store(out_ptrs, acc.to(tl.float16), mask=m_ok[:, None] & n_ok[None, :])


def matmul_dequantize_int4(x: torch.Tensor, qweight: torch.Tensor, scales: torch.Tensor,
                           zeros: torch.Tensor) -> torch.Tensor:
    m, k = x.shape
    n = scales.shape[1]
    out = torch.empty((m, n), device=x.device, dtype=torch.float16)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles, so the small test shapes span several tiles and groups.
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif torch.version.hip:
        # The unpacked int32 weight tile (BLOCK_K x BLOCK_N words, 8 columns per packed
        # word) is the big buffer: kept to 16 KB so a stage fits the 64 KB of LDS.
        bm, bn, bk, warps, stages = (16, 64, 64, 4, 2) if m <= 64 else (128, 64, 64, 8, 2)
    elif m <= 64:
        # Decode-sized batches: streaming the packed weight (and the per-group scales
        # and zeros, an eighth of its size again) is the cost.
        bm, bn, bk, warps, stages = 16, 64, 64, 4, 4
    else:
        bm, bn, bk, warps, stages = 128, 128, 64, 8, 3
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _w4_zp_matmul_kernel[grid](x, qweight, scales, zeros, out, m, n, k,
                               x.stride(0), qweight.stride(0), scales.stride(0), zeros.stride(0),
                               out.stride(0), GROUP=GROUP_SIZE, BLOCK_M=bm, BLOCK_N=bn,
                               BLOCK_K=bk, GROUP_M=8, num_warps=warps, num_stages=stages)
    return out
