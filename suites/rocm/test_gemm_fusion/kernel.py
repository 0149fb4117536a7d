"""Ground truth for test_gemm_fusion: out = GELU(A @ B + bias), the up-projection of a
transformer MLP with its epilogue fused. Each program owns one BLOCK_M x BLOCK_N tile:
the K loop accumulates tl.dot products in float32, then the epilogue adds the bias row
and applies the exact (erf) GELU in float32 while the tile is still in registers, and
stores it once in the input dtype. No pre-activation tensor ever reaches memory."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _gemm_bias_gelu_kernel(a_ptr, b_ptr, bias_ptr, c_ptr, M, N, K,
                           stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                           BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                           GROUP_M: tl.constexpr, EVEN_K: tl.constexpr, UPCAST: tl.constexpr):
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
    # Edge rows/columns wrap (modulo) onto valid memory; the store mask drops them.
    a_ptrs = a_ptr + (offs_m % M)[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + (offs_n % N)[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        if EVEN_K:
            a = tl.load(a_ptrs)
            b = tl.load(b_ptrs)
        else:
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

    # Fused epilogue, all in float32: bias broadcast over rows, then
    # GELU(x) = 0.5 * x * (1 + erf(x / sqrt(2))).
    n_ok = offs_n < N
    bias = tl.load(bias_ptr + offs_n, mask=n_ok, other=0.0).to(tl.float32)
    x = acc + bias[None, :]
    y = 0.5 * x * (1.0 + tl.math.erf(x * 0.7071067811865476))

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, y.to(c_ptr.dtype.element_ty), mask=(offs_m[:, None] < M) & n_ok[None, :])


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    return 128, 256, 64, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def test_gemm_fusion(a: torch.Tensor, b: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _gemm_bias_gelu_kernel[grid](
        a, b, bias, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, EVEN_K=(K % bk == 0),
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
