"""Ground truth for gemm: C = A @ B. Each program owns one BLOCK_M x BLOCK_N tile of C
and walks K in BLOCK_K steps, accumulating tl.dot products in float32. Programs are
launched in bands of GROUP_M tile rows so that tiles running at the same time share
rows of A and columns of B in L2 / the Infinity Cache."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _gemm_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                 stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                 BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                 GROUP_M: tl.constexpr, EVEN_K: tl.constexpr, UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped ("swizzled") tile order: GROUP_M rows of tiles are swept column by column.
    per_group = GROUP_M * num_pid_n
    group = pid // per_group
    first_m = group * GROUP_M
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    # Rows/columns past the edge are wrapped with a modulo instead of masked: they read
    # valid (repeated) memory, so the hot loop needs no M/N masks, and their results
    # are dropped by the store mask.
    ram = offs_m % M
    rbn = offs_n % N
    a_ptrs = a_ptr + ram[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + rbn[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        if EVEN_K:
            a = tl.load(a_ptrs)
            b = tl.load(b_ptrs)
        else:
            # The K tail loads zeros, which add nothing to the dot.
            k_left = K - k * BLOCK_K
            a = tl.load(a_ptrs, mask=offs_k[None, :] < k_left, other=0.0)
            b = tl.load(b_ptrs, mask=offs_k[:, None] < k_left, other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    c = acc.to(c_ptr.dtype.element_ty)
    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, c, mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles so the small test shapes cover several tiles and tails.
        return 32, 32, 32, 4, 1
    if torch.version.hip:
        # MI300: 64 KB LDS, software pipelining with 2 stages.
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    big_smem = torch.cuda.get_device_capability()[0] >= 9
    return 128, 256, 64, 8, (4 if big_smem else 3)


def gemm(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _gemm_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, EVEN_K=(K % bk == 0),
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
