"""Ground truth for matmul_persistent_triton: C = A @ B with a persistent grid. Instead
of one program per output tile, the launch has min(tiles, compute units) programs; each
stays resident and walks the tiles pid, pid + P, pid + 2P, ... (P programs), so launch
and tail costs are paid once per compute unit rather than once per tile. Tiles are
numbered in grouped order (GROUP_M tile rows swept column by column), so the tiles the P
programs work on at the same time share rows of A and columns of B in L2. Each tile is
a K loop of tl.dot products into a float32 accumulator, stored once in the inputs' dtype."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _persistent_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                              stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                              NUM_PROGS,
                              BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
                              BLOCK_K: tl.constexpr, GROUP_M: tl.constexpr,
                              UPCAST: tl.constexpr):
    pid = tl.program_id(0)
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    num_tiles = tiles_m * tiles_n
    k_tiles = tl.cdiv(K, BLOCK_K)
    per_group = GROUP_M * tiles_n
    offs_k = tl.arange(0, BLOCK_K)

    for tile in range(pid, num_tiles, NUM_PROGS):
        first_m = (tile // per_group) * GROUP_M
        rows_in_group = tl.minimum(tiles_m - first_m, GROUP_M)
        pid_m = first_m + (tile % per_group) % rows_in_group
        pid_n = (tile % per_group) // rows_in_group

        offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
        offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
        m_ok = offs_m < M
        n_ok = offs_n < N
        # 64-bit rows: M * K, K * N and M * N may pass 2^31 elements.
        a_ptrs = a_ptr + offs_m[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
        b_ptrs = b_ptr + offs_k[:, None].to(tl.int64) * stride_bk + offs_n[None, :] * stride_bn
        acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
        for kt in range(0, k_tiles):
            # Rows/columns past the edge and the K tail load 0 and add nothing.
            k_left = K - kt * BLOCK_K
            a = tl.load(a_ptrs, mask=m_ok[:, None] & (offs_k[None, :] < k_left), other=0.0)
            b = tl.load(b_ptrs, mask=(offs_k[:, None] < k_left) & n_ok[None, :], other=0.0)
            if UPCAST:
                # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
                a = a.to(tl.float32)
                b = b.to(tl.float32)
            acc = tl.dot(a, b, acc)
            a_ptrs += BLOCK_K * stride_ak
            b_ptrs += BLOCK_K * stride_bk
        c_ptrs = c_ptr + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
        tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])


# Programs launched in the CPU interpreter: small and prime, so that programs own
# different numbers of tiles and every program loops over several.
INTERPRETER_PROGRAMS = 3


def _config():
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device (16-bit inputs)."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        return 256, 256, 32, 8, 2  # MI300: 64 KB of LDS, two stages
    # 48 KB per 128x256x64 stage of 16-bit tiles: 3 stages (144 KB) leave room in
    # shared memory for the epilogue's layout conversion on Hopper and A100.
    return 128, 256, 64, 8, 3


def matmul_persistent_triton(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    N = b.shape[1]
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    if c.numel() == 0:
        return c
    bm, bn, bk, warps, stages = _config()
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    num_tiles = triton.cdiv(M, bm) * triton.cdiv(N, bn)
    if interpret:
        units = INTERPRETER_PROGRAMS
    else:
        units = torch.cuda.get_device_properties(a.device).multi_processor_count
    progs = min(num_tiles, units)
    _persistent_matmul_kernel[(progs,)](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        progs,
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
