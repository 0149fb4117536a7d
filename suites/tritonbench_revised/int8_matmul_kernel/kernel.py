"""Ground truth for int8_matmul_kernel: each program computes one BLOCK_M x BLOCK_N tile
of C with int8 x int8 -> int32 tl.dot over BLOCK_K steps of K (exact integer sums)."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _int8_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                        stride_am, stride_bk, stride_cm,
                        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                        GROUP_M: tl.constexpr):
    # Tile order: GROUP_M tile rows are swept column by column, so the programs resident
    # at once share A rows and B columns in L2.
    pid = tl.program_id(0)
    n_tiles_m = tl.cdiv(M, BLOCK_M)
    n_tiles_n = tl.cdiv(N, BLOCK_N)
    per_group = GROUP_M * n_tiles_n
    group_first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(n_tiles_m - group_first_m, GROUP_M)
    in_group = pid % per_group
    tile_m = group_first_m + in_group % group_rows
    tile_n = in_group // group_rows

    offs_m = tile_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tile_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    m_ok = offs_m < M
    n_ok = offs_n < N
    # 64-bit row offsets: M * K and K * N can pass 2^31.
    a_tile = a_ptr + offs_m.to(tl.int64)[:, None] * stride_am + offs_k[None, :]
    b_tile = b_ptr + offs_k.to(tl.int64)[:, None] * stride_bk + offs_n[None, :]
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.int32)
    for k0 in range(0, K, BLOCK_K):
        # Rows, columns and the K tail outside the matrices load as 0 and add nothing.
        k_ok = (k0 + offs_k) < K
        a = tl.load(a_tile, mask=m_ok[:, None] & k_ok[None, :], other=0)
        b = tl.load(b_tile, mask=k_ok[:, None] & n_ok[None, :], other=0)
        acc = tl.dot(a, b, acc, out_dtype=tl.int32)
        a_tile += BLOCK_K
        b_tile += BLOCK_K * stride_bk
    c_tile = c_ptr + offs_m.to(tl.int64)[:, None] * stride_cm + offs_n[None, :]
    tl.store(c_tile, acc, mask=m_ok[:, None] & n_ok[None, :])


def int8_matmul_kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    m, k = a.shape
    _, n = b.shape
    c = torch.empty((m, n), device=a.device, dtype=torch.int32)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles so the small test shapes span several tiles and tails.
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1
    elif torch.version.hip:
        # 32 KB of int8 tiles per stage in the 64 KB LDS.
        bm, bn, bk, warps, stages = 256, 256, 64, 8, 2
    else:
        # 128x256x128 int8 tiles are 48 KB a stage: 4 stages on Hopper (227 KB of shared
        # memory), 3 on an A100 (163 KB).
        stages = 4 if torch.cuda.get_device_capability(a.device)[0] >= 9 else 3
        bm, bn, bk, warps = 128, 256, 128, 8
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)
    _int8_matmul_kernel[grid](a, b, c, m, n, k, a.stride(0), b.stride(0), c.stride(0),
                              BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                              num_warps=warps, num_stages=stages)
    return c
