"""Ground truth for test_gemm_no_scf: C = A @ B for a short reduction dimension
(K <= 256), as in attention scores Q @ K^T over one head. The whole K extent fits in
one tile, so each program issues a single tl.dot with no loop (no scf.for in the
compiled IR): load the (BLOCK_M, BLOCK_K) slab of A and the (BLOCK_K, BLOCK_N) slab of
B once, multiply, store. With so little arithmetic per output, writing C dominates:
tiles are wide and the store is coalesced along N."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _gemm_single_tile_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
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
    offs_k = tl.arange(0, BLOCK_K)  # BLOCK_K >= K: the whole reduction at once
    m_ok = offs_m < M
    n_ok = offs_n < N
    k_ok = offs_k < K
    a = tl.load(a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak,
                mask=m_ok[:, None] & k_ok[None, :], other=0.0)
    b = tl.load(b_ptr + offs_k[:, None] * stride_bk + offs_n[None, :] * stride_bn,
                mask=k_ok[:, None] & n_ok[None, :], other=0.0)
    if UPCAST:
        # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
        a = a.to(tl.float32)
        b = b.to(tl.float32)
    # One dot, float32 accumulation (TF32 for float32 operands on NVIDIA tensor cores).
    c = tl.dot(a, b, out_dtype=tl.float32)
    tl.store(c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn,
             c.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


def test_gemm_no_scf(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    assert K <= 256, "the reduction dimension must fit one tile (K <= 256)"
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    block_k = max(16, triton.next_power_of_2(K))
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        bm, bn, warps = 32, 32, 4  # small tests still span several tiles
    else:
        # Output-bound: as wide a tile as the two operand slabs allow in shared memory /
        # LDS, (bm + bn) * BLOCK_K elements (MI300 has 64 KB of LDS, an H100 227 KB).
        budget = (32 if torch.version.hip else 96) * 1024
        bm, bn, warps = 128, 128, 8
        while (bm + bn) * block_k * a.element_size() > budget and bm > 32:
            if bn >= bm:
                bn //= 2
            else:
                bm //= 2
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _gemm_single_tile_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=block_k, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16, num_warps=warps)
    return c
