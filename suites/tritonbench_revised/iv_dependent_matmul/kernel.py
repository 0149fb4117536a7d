"""Ground truth for iv_dependent_matmul: C = A @ B^T + bias with B stored as (N, K), the
layout of a linear layer's weight. Each program owns one BLOCK_M x BLOCK_N tile of C.
Its K loop carries no pointers from one iteration to the next: iteration k forms the
addresses of its A and B tiles as fixed base pointers plus k * BLOCK_K * stride (and the
K-tail mask from k), so every load is an affine function of the induction variable that
the compiler can still pipeline. The B tile is read as a (BLOCK_K, BLOCK_N) block whose
K axis is the contiguous one; tl.dot takes it as is. The bias is added to the float32
accumulator in the epilogue, before the one rounding to the output dtype."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _iv_linear_kernel(a_ptr, b_ptr, bias_ptr, c_ptr, M, N, K,
                      stride_am, stride_ak, stride_bn, stride_bk, stride_cm, stride_cn,
                      BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                      GROUP_M: tl.constexpr, UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    # Grouped tile order: GROUP_M tile rows swept column by column, for L2 reuse.
    per_group = GROUP_M * tiles_n
    first_m = (pid // per_group) * GROUP_M
    rows_in_group = tl.minimum(tiles_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % rows_in_group
    pid_n = (pid % per_group) // rows_in_group

    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    m_ok = offs_m < M
    n_ok = offs_n < N
    # Loop-invariant bases (64-bit rows: M * K or N * K may pass 2^31 elements).
    a_base = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_base = b_ptr + offs_n[None, :].to(tl.int64) * stride_bn + offs_k[:, None] * stride_bk

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        # Offsets and mask of this step come from k alone, not from the last iteration.
        k_left = K - k * BLOCK_K
        a = tl.load(a_base + k * BLOCK_K * stride_ak,
                    mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
        b = tl.load(b_base + k * BLOCK_K * stride_bk,
                    mask=(offs_k[:, None] < k_left) & n_ok[None, :], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(a, b, acc)

    bias = tl.load(bias_ptr + offs_n, mask=n_ok, other=0.0).to(tl.float32)
    acc += bias[None, :]
    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        # MI300: 64 KB of LDS, two stages.
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    # 48 KB per 128x256x64 stage of 16-bit tiles: 4 stages on Hopper, 3 on an A100.
    return 128, 256, 64, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def iv_dependent_matmul(a: torch.Tensor, b: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    N = b.shape[0]
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _iv_linear_kernel[grid](
        a, b, bias, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
