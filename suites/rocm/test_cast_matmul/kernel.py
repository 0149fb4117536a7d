"""Ground truth for test_cast_matmul: C = A @ B where A and B arrive in different
dtypes. One of them is float32, the other float16 or bfloat16 (the compute dtype).
Each program owns one BLOCK_M x BLOCK_N tile of C; every loaded tile is cast in
registers to the compute dtype (round to nearest) right before tl.dot, so the dot runs
on 16-bit matrix units and no converted copy of the float32 operand is ever written to
memory. Products accumulate in float32; C is stored in the compute dtype."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _cast_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                        stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                        GROUP_M: tl.constexpr, EVEN_K: tl.constexpr, UPCAST: tl.constexpr):
    compute_ty = c_ptr.dtype.element_ty
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
        # The in-kernel cast: the float32 operand is rounded to the compute dtype (a
        # no-op for the operand already in it).
        a = a.to(compute_ty)
        b = b.to(compute_ty)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(compute_ty), mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def test_cast_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    out_dtype = b.dtype if a.dtype == torch.float32 else a.dtype
    c = torch.empty((M, N), device=a.device, dtype=out_dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1  # small tests still span several tiles
    else:
        # The 16-bit operand gets the 256-wide tile and the float32 one the 128-wide
        # tile, so each takes half of a stage: 32 KB per stage on MI300 (64 KB LDS,
        # 2 stages), 64 KB on NVIDIA (3 stages, 192 KB of shared memory).
        bk = 32 if torch.version.hip else 64
        bm, bn = (128, 256) if a.dtype == torch.float32 else (256, 128)
        warps, stages = 8, (2 if torch.version.hip else 3)
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _cast_matmul_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, EVEN_K=(K % bk == 0),
        UPCAST=interpret and out_dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
