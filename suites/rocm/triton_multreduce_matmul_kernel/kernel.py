"""Ground truth for triton_multreduce_matmul_kernel: C = A @ B computed entirely as
broadcast multiply + reduction, written without tl.dot (on a GPU, Triton's compiler may
turn the pattern into a matrix-unit dot itself, TF32 for float32). Each program owns one BLOCK_M x BLOCK_N tile
of C; for every BLOCK_K slice of K it forms the (BLOCK_M, BLOCK_K, BLOCK_N) products
a[:, :, None] * b[None, :, :] in float32 registers and reduces them over K with tl.sum
into a float32 accumulator. BLOCK_K is kept small so the 3-D product fits registers."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _multreduce_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                              stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                              BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                              GROUP_M: tl.constexpr):
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped tile order: GROUP_M tile rows are swept column by column, for L2 reuse.
    per_group = GROUP_M * num_pid_n
    first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    m_ok = offs_m < M
    n_ok = offs_n < N
    a_ptrs = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + offs_n[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        # Out-of-range rows, columns and the K tail load zeros and add nothing.
        k_ok = offs_k < K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=m_ok[:, None] & k_ok[None, :], other=0.0).to(tl.float32)
        b = tl.load(b_ptrs, mask=k_ok[:, None] & n_ok[None, :], other=0.0).to(tl.float32)
        # Outer products of the K slice, reduced over K: exact float32 multiply-adds.
        acc += tl.sum(a[:, :, None] * b[None, :, :], axis=1)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def triton_multreduce_matmul_kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    if c.numel() == 0:
        return c
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        bm, bn, bk, warps = 32, 32, 16, 4  # small tests span several tiles
    else:
        # 64x64 outputs per program, 8-wide K slices: the 3-D product is 32K float32
        # values, 128 per thread with 8 warps (64 KB of registers per program).
        bm, bn, bk, warps = 64, 64, 8, 8
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _multreduce_matmul_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, num_warps=warps)
    return c
