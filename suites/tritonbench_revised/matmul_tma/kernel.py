"""Ground truth for matmul_tma: C = A @ B for float16 A (M, K) and B (K, N), with every
tile moved through a tensor descriptor (TMA loads and stores on NVIDIA Hopper and newer).

Each program owns one BLOCK_M x BLOCK_N tile of C and accumulates tl.dot products over
K in float32. Two constexpr-selected paths, one compiled per launch:

  * USE_DESC: a_in, b_in and c_out are host-built TensorDescriptors (shape, strides and
    tile shape of A, B and C). Loads past an edge of A or B read zero (descriptor
    padding "zero"), and the store drops rows/columns past the edge of C, so the kernel
    has no masks and no address arithmetic.
  * otherwise: the same tiles through block pointers (tl.make_block_ptr + boundary_check),
    for GPUs without TMA (AMD, NVIDIA before sm_90) and for tensors whose row stride is
    not a multiple of 16 bytes, which a TMA descriptor cannot address.

The CPU interpreter emulates both, and picks by the same alignment rule, so the small
tests exercise both paths."""

import os

import torch
import triton
import triton.language as tl
from triton.tools.tensor_descriptor import TensorDescriptor


@triton.jit
def _matmul_tma_kernel(a_in, b_in, c_out, M, N, K,
                       stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                       GROUP_M: tl.constexpr, USE_DESC: tl.constexpr):
    pid = tl.program_id(0)
    num_pid_m = tl.cdiv(M, BLOCK_M)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    # Grouped launch order: GROUP_M tile rows are swept column by column, so programs
    # resident at the same time share A rows and B columns in L2.
    per_group = GROUP_M * num_pid_n
    first_m = (pid // per_group) * GROUP_M
    group_rows = tl.minimum(num_pid_m - first_m, GROUP_M)
    pid_m = first_m + (pid % per_group) % group_rows
    pid_n = (pid % per_group) // group_rows
    off_m = pid_m * BLOCK_M
    off_n = pid_n * BLOCK_N

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    if USE_DESC:
        for kt in range(0, tl.cdiv(K, BLOCK_K)):
            off_k = kt * BLOCK_K
            # Tiles hanging over M, N or the K tail are zero-filled by the copy engine.
            a = a_in.load([off_m, off_k])
            b = b_in.load([off_k, off_n])
            acc = tl.dot(a, b, acc)
        c_out.store([off_m, off_n], acc.to(c_out.dtype))
    else:
        # order=(1, 0): the last dimension is the contiguous one (row-major).
        a_blk = tl.make_block_ptr(base=a_in, shape=(M, K), strides=(stride_am, stride_ak),
                                  offsets=(off_m, 0), block_shape=(BLOCK_M, BLOCK_K), order=(1, 0))
        b_blk = tl.make_block_ptr(base=b_in, shape=(K, N), strides=(stride_bk, stride_bn),
                                  offsets=(0, off_n), block_shape=(BLOCK_K, BLOCK_N), order=(1, 0))
        for kt in range(0, tl.cdiv(K, BLOCK_K)):
            a = tl.load(a_blk, boundary_check=(0, 1), padding_option="zero")
            b = tl.load(b_blk, boundary_check=(0, 1), padding_option="zero")
            acc = tl.dot(a, b, acc)
            a_blk = tl.advance(a_blk, (0, BLOCK_K))
            b_blk = tl.advance(b_blk, (BLOCK_K, 0))
        c_blk = tl.make_block_ptr(base=c_out, shape=(M, N), strides=(stride_cm, stride_cn),
                                  offsets=(off_m, off_n), block_shape=(BLOCK_M, BLOCK_N), order=(1, 0))
        tl.store(c_blk, acc.to(c_out.dtype.element_ty), boundary_check=(0, 1))


def _has_tma(device):
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return True  # the interpreter emulates descriptors
    if torch.version.hip or device.type != "cuda":
        return False
    return torch.cuda.get_device_capability(device)[0] >= 9


def _tma_ok(t):
    """A TMA descriptor needs a 16-byte-aligned base and row stride, unit last stride."""
    return (t.stride(1) == 1 and (t.stride(0) * t.element_size()) % 16 == 0
            and t.data_ptr() % 16 == 0)


def matmul_tma(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1  # small tests still span several tiles
    elif torch.version.hip:
        # 64 KB of LDS on MI300: one 256x256x32 stage plus a register prefetch.
        bm, bn, bk, warps, stages = 256, 256, 32, 8, 2
    else:
        # 48 KB of A+B tiles per stage; 3 stages plus the 64 KB C staging tile of the
        # TMA store fit Hopper's 227 KB of shared memory.
        bm, bn, bk, warps, stages = 128, 256, 64, 8, 3
    use_desc = _has_tma(a.device) and _tma_ok(a) and _tma_ok(b) and _tma_ok(c)
    if use_desc:
        a_in = TensorDescriptor(a, [M, K], [a.stride(0), 1], [bm, bk])
        b_in = TensorDescriptor(b, [K, N], [b.stride(0), 1], [bk, bn])
        c_out = TensorDescriptor(c, [M, N], [c.stride(0), 1], [bm, bn])
    else:
        a_in, b_in, c_out = a, b, c
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _matmul_tma_kernel[grid](
        a_in, b_in, c_out, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, USE_DESC=use_desc,
        num_warps=warps, num_stages=stages)
    return c
