"""Ground truth for test_kernel_dot: a batch of small independent matrix products,
Z[b] = X[b] @ Y[b], each at most 64 x 64 x 64. Every program handles one batch entry
with a single tl.dot on whole (padded) tiles: load X[b] and Y[b] in one go, multiply
with float32 accumulation, store Z[b]. The sizes are too small for a K loop or
output tiling to pay off; the batch is what fills the GPU, and the kernel is bound by
moving the tiles in and out."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _batched_tile_dot_kernel(x_ptr, y_ptr, z_ptr, M, N, K,
                             stride_xb, stride_xm, stride_xk,
                             stride_yb, stride_yk, stride_yn,
                             stride_zb, stride_zm, stride_zn,
                             BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                             UPCAST: tl.constexpr):
    pid = tl.program_id(0).to(tl.int64)  # batch * tile size can pass 2^31 elements
    offs_m = tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    m_ok = offs_m < M
    n_ok = offs_n < N
    k_ok = offs_k < K
    # Padding rows/columns load zeros: they add nothing to the products.
    x = tl.load(x_ptr + pid * stride_xb + offs_m[:, None] * stride_xm + offs_k[None, :] * stride_xk,
                mask=m_ok[:, None] & k_ok[None, :], other=0.0)
    y = tl.load(y_ptr + pid * stride_yb + offs_k[:, None] * stride_yk + offs_n[None, :] * stride_yn,
                mask=k_ok[:, None] & n_ok[None, :], other=0.0)
    if UPCAST:
        # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
        x = x.to(tl.float32)
        y = y.to(tl.float32)
    # float32 accumulation (TF32 for float32 operands on NVIDIA tensor cores).
    z = tl.dot(x, y, out_dtype=tl.float32)
    tl.store(z_ptr + pid * stride_zb + offs_m[:, None] * stride_zm + offs_n[None, :] * stride_zn,
             z.to(z_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def test_kernel_dot(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    B, M, K = x.shape
    N = y.shape[2]
    assert max(M, N, K) <= 64, "each product must fit one tile (M, N, K <= 64)"
    z = torch.empty((B, M, N), device=x.device, dtype=x.dtype)
    if B == 0:
        return z
    # tl.dot needs every tile dimension >= 16.
    bm, bn, bk = (max(16, triton.next_power_of_2(d)) for d in (M, N, K))
    # One warp per 16 rows of the output tile, at most 4.
    warps = max(1, min(4, bm // 16))
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    _batched_tile_dot_kernel[(B,)](
        x, y, z, M, N, K,
        x.stride(0), x.stride(1), x.stride(2), y.stride(0), y.stride(1), y.stride(2),
        z.stride(0), z.stride(1), z.stride(2),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk,
        UPCAST=interpret and x.dtype == torch.bfloat16, num_warps=warps)
    return z
