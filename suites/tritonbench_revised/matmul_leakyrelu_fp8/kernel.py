"""Ground truth for matmul_leakyrelu_fp8: C = leaky_relu((A @ B) * a_scale * b_scale) with
A and B in FP8 E4M3 (OCP e4m3fn) and per-tensor float32 scales, the layout of an FP8
linear layer: A (M, K) row-major activations, B (K, N) column-major (the transpose of a
contiguous (N, K) weight), so both operands are K-contiguous as FP8 tensor cores want.
Each program owns one BLOCK_M x BLOCK_N tile of C, walks K in BLOCK_K steps with an fp8
tl.dot into a float32 accumulator, then in registers applies the dequantization scale and
the leaky ReLU and rounds once to float16: the pre-activation never goes to memory."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _matmul_leakyrelu_fp8_kernel(a_ptr, b_ptr, c_ptr, a_scale_ptr, b_scale_ptr, M, N, K, slope,
                                 stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                                 BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                                 BLOCK_K: tl.constexpr, GROUP_M: tl.constexpr,
                                 EVEN_K: tl.constexpr):
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
    # Edge rows/columns wrap (modulo) onto valid memory, so the loop needs no M/N masks;
    # their results are dropped by the store mask. 64-bit: M * K and N * K may pass 2^31.
    a_ptrs = a_ptr + (offs_m % M)[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + (offs_n % N)[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, tl.cdiv(K, BLOCK_K)):
        if EVEN_K:
            a = tl.load(a_ptrs)
            b = tl.load(b_ptrs)
        else:
            # The K tail loads fp8 zeros, which add nothing.
            k_left = K - kt * BLOCK_K
            a = tl.load(a_ptrs, mask=offs_k[None, :] < k_left, other=0.0)
            b = tl.load(b_ptrs, mask=offs_k[:, None] < k_left, other=0.0)
        acc = tl.dot(a, b, acc)  # fp8 x fp8 products, float32 accumulation
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    scale = tl.load(a_scale_ptr) * tl.load(b_scale_ptr)
    pre = acc * scale
    out = tl.where(pre > 0, pre, pre * slope)
    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, out.to(tl.float16), mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def _config():
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device (fp8 operands)."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        return 256, 256, 64, 8, 2  # 32 KB of fp8 tiles per stage: two fit MI300's 64 KB LDS
    # 48 KB per 128x256x128 stage of fp8 tiles: 4 stages on Hopper (228 KB), 3 on Ada.
    return 128, 256, 128, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def matmul_leakyrelu_fp8(a: torch.Tensor, b: torch.Tensor, a_scale: torch.Tensor,
                         b_scale: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    M, K = a.shape
    N = b.shape[1]
    c = torch.empty((M, N), device=a.device, dtype=torch.float16)
    if c.numel() == 0:
        return c
    bm, bn, bk, warps, stages = _config()
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _matmul_leakyrelu_fp8_kernel[grid](
        a, b, c, a_scale, b_scale, M, N, K, float(negative_slope),
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, EVEN_K=(K % bk == 0),
        num_warps=warps, num_stages=stages)
    return c
