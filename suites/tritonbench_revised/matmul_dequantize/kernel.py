"""Ground truth for matmul_dequantize: each program computes one BLOCK_M x BLOCK_N output
tile, walking K in BLOCK_K steps; every step dequantizes its BLOCK_K x BLOCK_N uint8
weight tile with the per-tensor zero point and scale to bfloat16 in registers and feeds
it to tl.dot with a float32 accumulator."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _w8a16_kernel(x_ptr, q_ptr, out_ptr, M, N, K, scale, zero,
                  stride_xm, stride_qk, stride_om,
                  BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                  GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
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
    q_ptrs = q_ptr + rk.to(tl.int64)[:, None] * stride_qk + rn[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(K, BLOCK_K)):
        # The K tail loads x as 0, so those (finite) weights add nothing to acc.
        k_left = K - kt * BLOCK_K
        x = tl.load(x_ptrs, mask=m_ok[:, None] & (rk[None, :] < k_left), other=0.0)
        q = tl.load(q_ptrs, mask=(rk[:, None] < k_left) & n_ok[None, :], other=0)
        # uint8 -> float32 is exact (0..255); one rounding to bfloat16, as specified.
        w = ((q.to(tl.float32) - zero) * scale).to(tl.bfloat16)
        if UPCAST:
            # The CPU interpreter's tl.dot gives garbage on bf16 operands; bf16 -> fp32 is
            # exact, so the product is unchanged.
            acc = tl.dot(x.to(tl.float32), w.to(tl.float32), acc)
        else:
            acc = tl.dot(x, w, acc)
        x_ptrs += BLOCK_K
        q_ptrs += BLOCK_K * stride_qk
    out_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + rn[None, :]
    tl.store(out_ptrs, acc.to(tl.bfloat16), mask=m_ok[:, None] & n_ok[None, :])


def matmul_dequantize(x: torch.Tensor, q: torch.Tensor, scale: float, zero: float) -> torch.Tensor:
    m, k = x.shape
    n = q.shape[1]
    out = torch.empty((m, n), device=x.device, dtype=torch.bfloat16)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        # Small tiles, so the small test shapes span several tiles in every dimension.
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif m <= 64:
        # Decode-sized batches: streaming the uint8 weight is the cost.
        bm, bn, bk, warps, stages = 16, 64, 128, 4, (2 if torch.version.hip else 3)
    else:
        bm, bn, bk, warps = 128, 128, 64, 8
        stages = 2 if torch.version.hip else 3
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _w8a16_kernel[grid](x, q, out, m, n, k, float(scale), float(zero),
                        x.stride(0), q.stride(0), out.stride(0),
                        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, UPCAST=interpret,
                        num_warps=warps, num_stages=stages)
    return out
