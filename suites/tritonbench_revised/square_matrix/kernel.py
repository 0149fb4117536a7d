"""Ground truth for square_matrix: C = A @ A for a square A (N, N), i.e. the matrix
squared. Both operands of the product are the same matrix, so the kernel takes a single
input pointer: each program owns one BLOCK_M x BLOCK_N tile of C and walks the shared
dimension in BLOCK_K steps, reading a BLOCK_M x BLOCK_K tile from A's rows and a
BLOCK_K x BLOCK_N tile from A's columns into a float32 tl.dot accumulator."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _square_kernel(a_ptr, c_ptr, N, stride_r, stride_c, stride_cm, stride_cn,
                   BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                   GROUP_M: tl.constexpr):
    pid = tl.program_id(0)
    tiles_m = tl.cdiv(N, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    # Grouped launch order: GROUP_M tile rows are swept column by column, so programs
    # resident together share the same rows (left operand) and columns (right operand)
    # of A in L2.
    per_group = GROUP_M * tiles_n
    first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(tiles_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows

    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    # Rows past N are clamped onto the last valid one (their results are never stored);
    # the right operand's columns are masked instead: a clamped index (tl.minimum) most
    # likely hides from the compiler that a tile's columns are contiguous, so that they
    # load element by element (H200, clamped: 37 TFLOP/s at N = 4096 fp16, slower than
    # a float64 torch matmul; the masked form is not re-measured yet). 64-bit offsets: N*N may pass 2^31.
    rm_safe = tl.minimum(rm, N - 1).to(tl.int64)
    n_ok = rn < N
    left_ptrs = a_ptr + rm_safe[:, None] * stride_r + rk[None, :].to(tl.int64) * stride_c
    right_ptrs = a_ptr + rk[:, None].to(tl.int64) * stride_r + rn[None, :].to(tl.int64) * stride_c

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(N, BLOCK_K)):
        k_left = N - kt * BLOCK_K
        left = tl.load(left_ptrs, mask=rk[None, :] < k_left, other=0.0)
        right = tl.load(right_ptrs, mask=(rk[:, None] < k_left) & n_ok[None, :], other=0.0)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(left, right, acc)
        left_ptrs += BLOCK_K * stride_c
        right_ptrs += BLOCK_K * stride_r

    c_ptrs = c_ptr + rm[:, None].to(tl.int64) * stride_cm + rn[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=(rm[:, None] < N) & (rn[None, :] < N))


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tests still span several tiles and a K tail
    if torch.version.hip:
        # 64 KB of LDS on MI300: one stage of tiles plus a register prefetch.
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    # 48 KB of 16-bit tiles per stage: 4 stages fit Hopper's 227 KB, 3 an A100's.
    return 128, 256, 64, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def square_matrix(a: torch.Tensor) -> torch.Tensor:
    N = a.shape[0]
    c = torch.empty((N, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    grid = (triton.cdiv(N, bm) * triton.cdiv(N, bn),)
    _square_kernel[grid](a, c, N, a.stride(0), a.stride(1), c.stride(0), c.stride(1),
                         BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                         num_warps=warps, num_stages=stages)
    return c
