"""Ground truth for test_block_pointer_matmul: C = A @ B written with block pointers.
Each program owns one BLOCK_M x BLOCK_N tile of C. A and B are described once with
tl.make_block_ptr (shape, strides, starting offsets, tile shape, memory order); the K
loop loads tiles through them with boundary checks (out-of-range elements read as zero)
and moves them along K with tl.advance, so no pointer arithmetic or masks appear in
the kernel body."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _block_ptr_matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
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

    # order=(1, 0): dimension 1 is the fastest-varying one in memory (row-major).
    a_blk = tl.make_block_ptr(base=a_ptr, shape=(M, K), strides=(stride_am, stride_ak),
                              offsets=(pid_m * BLOCK_M, 0), block_shape=(BLOCK_M, BLOCK_K),
                              order=(1, 0))
    b_blk = tl.make_block_ptr(base=b_ptr, shape=(K, N), strides=(stride_bk, stride_bn),
                              offsets=(0, pid_n * BLOCK_N), block_shape=(BLOCK_K, BLOCK_N),
                              order=(1, 0))
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for _ in range(0, tl.cdiv(K, BLOCK_K)):
        # boundary_check on both dims: M/N edges and the K tail read zeros.
        a = tl.load(a_blk, boundary_check=(0, 1), padding_option="zero")
        b = tl.load(b_blk, boundary_check=(0, 1), padding_option="zero")
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        # float32 operands use tl.dot's default precision (TF32 on NVIDIA tensor cores).
        acc = tl.dot(a, b, acc)
        a_blk = tl.advance(a_blk, (0, BLOCK_K))
        b_blk = tl.advance(b_blk, (BLOCK_K, 0))

    c_blk = tl.make_block_ptr(base=c_ptr, shape=(M, N), strides=(stride_cm, stride_cn),
                              offsets=(pid_m * BLOCK_M, pid_n * BLOCK_N),
                              block_shape=(BLOCK_M, BLOCK_N), order=(1, 0))
    # The store's boundary check drops the rows/columns past the edge of C.
    tl.store(c_blk, acc.to(c_ptr.dtype.element_ty), boundary_check=(0, 1))


def _config(dtype):
    """(BLOCK_M, BLOCK_N, BLOCK_K, num_warps, num_stages) for this device."""
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return 32, 32, 32, 4, 1  # small tiles: the small tests still span several tiles
    if torch.version.hip:
        return (128, 128, 32, 8, 2) if dtype == torch.float32 else (256, 256, 32, 8, 2)
    if dtype == torch.float32:
        return 128, 128, 32, 8, 3
    return 128, 256, 64, 8, (4 if torch.cuda.get_device_capability()[0] >= 9 else 3)


def test_block_pointer_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    bm, bn, bk, warps, stages = _config(a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _block_ptr_matmul_kernel[grid](
        a, b, c, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
