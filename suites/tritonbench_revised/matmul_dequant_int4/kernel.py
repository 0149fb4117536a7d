"""Ground truth for matmul_dequant_int4: each program computes one BLOCK_M x BLOCK_N
output tile. Every K step unpacks a BLOCK_K x BLOCK_N tile of signed nibbles to float16
(exact: they are integers in [-8, 7]) and multiplies it with tl.dot; the per-channel
scale is applied once to the float32 accumulator at the end."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _int4_sym_matmul_kernel(x_ptr, qw_ptr, s_ptr, out_ptr, M, N, K,
                            stride_xm, stride_qk, stride_om,
                            BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
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
    # Columns 2j and 2j + 1 both read byte j (the repeat hits L1).
    qw_ptrs = qw_ptr + rk.to(tl.int64)[:, None] * stride_qk + (rn // 2)[None, :]
    # Moving the wanted nibble to bits 28..31 and shifting back arithmetically
    # sign-extends it: even columns take bits 0..3, odd columns bits 4..7.
    lift = (28 - 4 * (rn % 2))[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(K, BLOCK_K)):
        # The K tail loads x as 0 (and the weight as 0), adding nothing to acc.
        k_left = K - kt * BLOCK_K
        x = tl.load(x_ptrs, mask=m_ok[:, None] & (rk[None, :] < k_left), other=0.0)
        b = tl.load(qw_ptrs, mask=(rk[:, None] < k_left) & n_ok[None, :], other=0)
        q = (b.to(tl.int32) << lift) >> 28
        acc = tl.dot(x, q.to(tl.float16), acc)
        x_ptrs += BLOCK_K
        qw_ptrs += BLOCK_K * stride_qk
    s = tl.load(s_ptr + rn, mask=n_ok, other=0.0).to(tl.float32)
    out = acc * s[None, :]
    out_ptrs = out_ptr + rm.to(tl.int64)[:, None] * stride_om + rn[None, :]
    tl.store(out_ptrs, out.to(tl.float16), mask=m_ok[:, None] & n_ok[None, :])


def matmul_dequant_int4(x: torch.Tensor, qweight: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    m, k = x.shape
    n = 2 * qweight.shape[1]
    out = torch.empty((m, n), device=x.device, dtype=torch.float16)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles, so the small test shapes span several tiles and K steps.
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif m <= 64:
        # Decode-sized batches: streaming the packed weight is the cost.
        bm, bn, bk, warps, stages = 16, 64, 128, 4, (2 if torch.version.hip else 3)
    else:
        bm, bn, bk, warps = 128, 128, 64, 8
        stages = 2 if torch.version.hip else 3
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _int4_sym_matmul_kernel[grid](x, qweight, scale, out, m, n, k,
                                  x.stride(0), qweight.stride(0), out.stride(0),
                                  BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                                  num_warps=warps, num_stages=stages)
    return out
