"""Ground truth for int4_matmul: each program computes one BLOCK_M x BLOCK_N tile of the
output, walking K in BLOCK_K steps; every step unpacks a BLOCK_K x BLOCK_N int4 weight
tile in registers, dequantizes it with its group's scales and zero points to float16,
and feeds it to tl.dot with a float32 accumulator."""

import os

import torch
import triton
import triton.language as tl

GROUP_SIZE = 128


@triton.jit
def _w4a16_kernel(x_ptr, qw_ptr, s_ptr, qz_ptr, out_ptr, M, N, K,
                  stride_xm, stride_qk, stride_sg, stride_zg, stride_om,
                  GROUP: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                  BLOCK_K: tl.constexpr, GROUP_M: tl.constexpr):
    # Launch order: GROUP_M tile-rows at a time, column by column, so programs running
    # together share x rows and weight columns in L2.
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
    # Row k of the tile reads word k // 8 (8 neighbouring rows share a word: the repeats
    # hit L1) and keeps nibble k % 8.
    qw_ptrs = qw_ptr + (rk // 8)[:, None] * stride_qk + rn[None, :]
    q_shift = ((rk % 8) * 4)[:, None]
    # Zero points are packed along N: column n is nibble n % 8 of word n // 8.
    z_cols = rn // 8
    z_shift = (rn % 8) * 4
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    # K is a multiple of GROUP and BLOCK_K divides GROUP: no K tail, and each step lies
    # in one quantization group.
    for kt in range(0, K // BLOCK_K):
        g = (kt * BLOCK_K) // GROUP
        x = tl.load(x_ptrs, mask=m_ok[:, None], other=0.0)
        words = tl.load(qw_ptrs, mask=n_ok[None, :], other=0)
        s = tl.load(s_ptr + g * stride_sg + rn, mask=n_ok, other=0.0)
        zw = tl.load(qz_ptr + g * stride_zg + z_cols, mask=n_ok, other=0)
        q = (words >> q_shift) & 0xF
        z = (zw >> z_shift) & 0xF
        # (q - z) is an integer in [-15, 15], exact in float16; times s it rounds once.
        w = (q - z[None, :]).to(tl.float16) * s[None, :]
        acc = tl.dot(x, w, acc)
        x_ptrs += BLOCK_K
        qw_ptrs += (BLOCK_K // 8) * stride_qk
    out_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + rn[None, :]
    tl.store(out_ptrs, acc.to(tl.float16), mask=m_ok[:, None] & n_ok[None, :])


def int4_matmul(x: torch.Tensor, qweight: torch.Tensor, scales: torch.Tensor,
                qzeros: torch.Tensor) -> torch.Tensor:
    m, k = x.shape
    n = qweight.shape[1]
    out = torch.empty((m, n), device=x.device, dtype=torch.float16)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles, so the small test shapes span several tiles and groups.
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif torch.version.hip:
        # The unpacked int32 weight tile (BLOCK_K x BLOCK_N words, 8 rows per packed word)
        # is the big buffer: kept to 16 KB so a stage fits the 64 KB of LDS.
        bm, bn, bk, warps, stages = (16, 64, 64, 4, 2) if m <= 64 else (128, 64, 64, 8, 2)
    elif m <= 64:
        # Decode-sized batches: reading the packed weight is the cost; narrow N tiles
        # give enough programs, long K steps keep many loads in flight.
        bm, bn, bk, warps, stages = 16, 64, 128, 4, 3
    else:
        bm, bn, bk, warps, stages = 128, 128, 64, 8, 3
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _w4a16_kernel[grid](x, qweight, scales, qzeros, out, m, n, k,
                        x.stride(0), qweight.stride(0), scales.stride(0), qzeros.stride(0),
                        out.stride(0), GROUP=GROUP_SIZE, BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk,
                        GROUP_M=8, num_warps=warps, num_stages=stages)
    return out
