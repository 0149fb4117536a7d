"""Ground truth for matrix_vector_multip: y = A @ x for a row-major A (M, N) and x (N,).

Each program owns BLOCK_M rows of A and streams them in BLOCK_M x BLOCK_N tiles along N
(coalesced, each row's tile contiguous), multiplying by the matching slice of x and
keeping per-lane float32 partial sums; one reduction over the lanes at the end gives
BLOCK_M outputs. The operation is memory-bound (2 flops per 2- or 4-byte element of A),
so the goal is to read A exactly once at full bandwidth; x is small and stays in L2."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _gemv_kernel(a_ptr, x_ptr, y_ptr, M, N, stride_am, stride_an, stride_x,
                 BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    rows = pid * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    # Rows past M are clamped onto the last one (never stored), so loads only mask the
    # N tail. 64-bit row offsets: M * N passes 2^31 for large matrices.
    rows_safe = tl.minimum(rows, M - 1).to(tl.int64)
    a_ptrs = a_ptr + rows_safe[:, None] * stride_am + cols[None, :] * stride_an
    x_ptrs = x_ptr + cols * stride_x
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for nt in range(0, tl.cdiv(N, BLOCK_N)):
        n_left = N - nt * BLOCK_N
        # Elementwise multiply-add in float32 (no tl.dot: exact products, no TF32).
        a = tl.load(a_ptrs, mask=cols[None, :] < n_left, other=0.0).to(tl.float32)
        x = tl.load(x_ptrs, mask=cols < n_left, other=0.0).to(tl.float32)
        acc += a * x[None, :]
        a_ptrs += BLOCK_N * stride_an
        x_ptrs += BLOCK_N * stride_x
    y = tl.sum(acc, axis=1)
    tl.store(y_ptr + rows, y.to(y_ptr.dtype.element_ty), mask=rows < M)


def matrix_vector_multip(a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    M, N = a.shape
    y = torch.empty((M,), device=a.device, dtype=a.dtype)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles, so the small tests span several row blocks and N tiles.
        bm, bn, warps = 16, 128, 4
    else:
        # 8 rows x 512 columns = 4096 elements per tile: 16 per thread at 8 warps, read
        # as 16-byte vectors (8 fp16 or 4 fp32 per access along a row).
        bm, bn, warps = 8, min(512, triton.next_power_of_2(N)), 8
    grid = (triton.cdiv(M, bm),)
    _gemv_kernel[grid](a, x, y, M, N, a.stride(0), a.stride(1), x.stride(0),
                       BLOCK_M=bm, BLOCK_N=bn, num_warps=warps)
    return y
