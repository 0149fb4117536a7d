"""Ground truth for dequantize_matmul, as a two-kernel pipeline: the first kernel
dequantizes the int8 weight with its per-group scales into a (K, N) buffer of x's dtype,
the second multiplies x by that buffer with tl.dot (float32 accumulator), each program
computing one BLOCK_M x BLOCK_N output tile."""

import os

import torch
import triton
import triton.language as tl

GROUP_SIZE = 128


@triton.jit
def _dequant_int8_kernel(q_ptr, s_ptr, w_ptr, K, N, stride_qk, stride_sg, stride_wk,
                         GROUP: tl.constexpr, BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr):
    pid = tl.program_id(0)
    tiles_c = tl.cdiv(N, BLOCK_C)
    rows = (pid // tiles_c) * BLOCK_R + tl.arange(0, BLOCK_R)
    cols = (pid % tiles_c) * BLOCK_C + tl.arange(0, BLOCK_C)
    mask = (rows < K)[:, None] & (cols < N)[None, :]
    r64 = rows.to(tl.int64)
    q = tl.load(q_ptr + r64[:, None] * stride_qk + cols[None, :], mask=mask, other=0)
    # Row k uses scale row k // GROUP (BLOCK_R divides GROUP: one row of scales per tile).
    g = (pid // tiles_c) * BLOCK_R // GROUP
    s = tl.load(s_ptr + g * stride_sg + cols, mask=cols < N, other=0.0)
    w = q.to(tl.float32) * s[None, :]
    tl.store(w_ptr + r64[:, None] * stride_wk + cols[None, :], w.to(w_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K, stride_am, stride_bk, stride_cm,
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
    a_ptrs = a_ptr + rm.to(tl.int64)[:, None] * stride_am + rk[None, :]
    b_ptrs = b_ptr + rk.to(tl.int64)[:, None] * stride_bk + rn[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    # K is a multiple of the quantization group, and BLOCK_K divides it: no K tail.
    for kt in range(0, K // BLOCK_K):
        a = tl.load(a_ptrs, mask=m_ok[:, None], other=0.0)
        b = tl.load(b_ptrs, mask=n_ok[None, :], other=0.0)
        if UPCAST:
            # The CPU interpreter's tl.dot gives garbage on bf16 operands; bf16 -> fp32 is
            # exact, so the product is unchanged.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K
        b_ptrs += BLOCK_K * stride_bk
    c_ptrs = c_ptr + rm.to(tl.int64)[:, None] * stride_cm + rn[None, :]
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def dequantize_matmul(x: torch.Tensor, qweight: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    m, k = x.shape
    n = qweight.shape[1]
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"

    # Stage 1: W = qweight * scales, in x's dtype. ~8K elements per program.
    w = torch.empty((k, n), device=x.device, dtype=x.dtype)
    block_c = min(1024, triton.next_power_of_2(n))
    block_r = max(1, min(GROUP_SIZE, 8192 // block_c))
    grid = (triton.cdiv(k, block_r) * triton.cdiv(n, block_c),)
    _dequant_int8_kernel[grid](qweight, scales, w, k, n, qweight.stride(0), scales.stride(0),
                               w.stride(0), GROUP=GROUP_SIZE, BLOCK_R=block_r, BLOCK_C=block_c,
                               num_warps=8 if block_r * block_c >= 4096 else 4)

    # Stage 2: out = x @ W.
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if interpret:
        # Small tiles, so the small test shapes span several tiles in every dimension.
        bm, bn, bk, warps, stages = 16, 32, 32, 4, 1
    elif m <= 64:
        # Decode-sized batches: streaming W is the cost.
        bm, bn, bk, warps, stages = 16, 64, 128, 4, (2 if torch.version.hip else 3)
    else:
        bm, bn, bk, warps = 128, 128, 64, 8
        stages = 2 if torch.version.hip else 3
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _matmul_kernel[grid](x, w, out, m, n, k, x.stride(0), w.stride(0), out.stride(0),
                         BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                         UPCAST=interpret and x.dtype == torch.bfloat16,
                         num_warps=warps, num_stages=stages)
    return out
