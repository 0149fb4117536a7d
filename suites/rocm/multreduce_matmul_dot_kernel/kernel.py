"""Ground truth for multreduce_matmul_dot_kernel: C = A @ B with two ways to multiply a
pair of K tiles, chosen per launch from the number of rows M:

  * M > 8 (prefill / training GEMMs): tl.dot on the matrix units (MFMA / tensor cores).
  * M <= 8 (decode-time "skinny" GEMMs): a matrix unit would waste most of its >= 16
    rows on padding, so each K tile is multiplied by broadcasting,
    a[:, :, None] * b[None, :, :], and reduced over K with tl.sum, in float32 on the
    vector units. Such launches are bound by streaming B (the weights) once; the
    kernel makes B's tile wide along N so its loads coalesce.

Both paths share the tile loop, masks and float32 accumulator; only the per-K-tile
product differs (a constexpr branch, so each compiled variant contains one of them)."""

import os

import torch
import triton
import triton.language as tl

SKINNY_M = 8  # at most this many rows: the multiply-reduce path


@triton.jit
def _matmul_dot_or_multreduce_kernel(
        a_ptr, b_ptr, c_ptr, M, N, K,
        stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
        GROUP_M: tl.constexpr, USE_DOT: tl.constexpr, UPCAST: tl.constexpr):
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
        # Rows, columns and the K tail outside the matrices load zeros.
        k_ok = offs_k < K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=m_ok[:, None] & k_ok[None, :], other=0.0)
        b = tl.load(b_ptrs, mask=k_ok[:, None] & n_ok[None, :], other=0.0)
        if USE_DOT:
            if UPCAST:
                # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact.
                a = a.to(tl.float32)
                b = b.to(tl.float32)
            # float32 operands use tl.dot's default precision (TF32 on NVIDIA).
            acc = tl.dot(a, b, acc)
        else:
            # (BLOCK_M, BLOCK_K, 1) * (1, BLOCK_K, BLOCK_N), summed over K. Products of
            # 16-bit values are exact in float32; float32 inputs stay full precision.
            prod = a.to(tl.float32)[:, :, None] * b.to(tl.float32)[None, :, :]
            acc += tl.sum(prod, axis=1)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def multreduce_matmul_dot_kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    if c.numel() == 0:
        return c
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    use_dot = M > SKINNY_M
    if not use_dot:
        # Skinny: all M rows in one tile; the (BLOCK_M, BLOCK_K, BLOCK_N) product holds
        # ~8K float32 values (64 per thread with 4 warps), BLOCK_N >= 64 for coalescing.
        bm = max(1, triton.next_power_of_2(M))
        bk = 32
        bn = max(64, 8192 // (bm * bk))
        warps, stages = 4, 2
        if interpret:
            bn = 32
    elif interpret:
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1  # small tests span several tiles
    elif torch.version.hip:
        bm, bn, bk, warps, stages = (128, 128, 32, 8, 2) if a.dtype == torch.float32 else (256, 256, 32, 8, 2)
    elif a.dtype == torch.float32:
        bm, bn, bk, warps, stages = 128, 128, 32, 8, 3
    else:
        bm, bn, bk, warps = 128, 256, 64, 8
        stages = 4 if torch.cuda.get_device_capability()[0] >= 9 else 3
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _matmul_dot_or_multreduce_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, USE_DOT=use_dot,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
