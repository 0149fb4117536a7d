"""Ground truth for test_iv_dependent_matmul: C = A @ B where the K loop derives its
addresses from the loop's induction variable. Instead of advancing pointers that are
carried from one iteration to the next, every iteration recomputes the K offsets of
its tiles, k0 + arange(BLOCK_K), from the induction variable k0, forms the A and B
pointers and the K-tail mask from them, and loads. The compiler sees the loads as
affine in k0, which it can still pipeline (the address math is cheap integer work
next to the dot)."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _iv_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                      stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                      BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                      GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
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
    # Row/column bases are loop-invariant; edge rows/columns wrap (modulo) onto valid
    # memory and the store mask drops them.
    a_rows = a_ptr + (offs_m % M)[:, None].to(tl.int64) * stride_am
    b_cols = b_ptr + (offs_n % N)[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        # Everything K-dependent comes from the induction variable k0.
        offs_k = k0 + tl.arange(0, BLOCK_K)
        k_ok = offs_k < K
        a = tl.load(a_rows + offs_k[None, :] * stride_ak, mask=k_ok[None, :], other=0.0)
        b = tl.load(b_cols + offs_k[:, None] * stride_bk, mask=k_ok[:, None], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(a, b, acc)

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    return 128, 256, 64, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def test_iv_dependent_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _iv_matmul_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
