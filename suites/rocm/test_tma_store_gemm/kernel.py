"""Ground truth for test_tma_store_gemm: C = A @ B for 16-bit inputs, with the output
tile written through a tensor descriptor (a TMA store on NVIDIA Hopper and newer).

Each program owns one BLOCK_M x BLOCK_N tile of C and accumulates tl.dot products over
K in float32. The epilogue depends on a constexpr chosen on the host:

  * USE_TMA: `c_out` is a host-built triton.tools.tensor_descriptor.TensorDescriptor for
    C; the tile goes out with one descriptor store, the copy engine clipping rows and
    columns past the edge of C (no mask, no per-thread address math).
  * otherwise (AMD GPUs, NVIDIA before sm_90, or rows whose byte stride is not a
    multiple of 16, which TMA cannot address): `c_out` is C itself and the tile is
    stored through masked pointers.

Only one branch is compiled per launch, so the fallback never touches descriptors."""

import os

import torch
import triton
import triton.language as tl
from triton.tools.tensor_descriptor import TensorDescriptor


@triton.jit
def _gemm_tma_store_kernel(a_ptr, b_ptr, c_out, M, N, K,
                           stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                           BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                           GROUP_M: tl.constexpr, USE_TMA: tl.constexpr, UPCAST: tl.constexpr):
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
    # Edge rows/columns wrap (modulo) onto valid memory; their results are never stored.
    a_ptrs = a_ptr + (offs_m % M)[:, None].to(tl.int64) * stride_am + offs_k[None, :] * stride_ak
    b_ptrs = b_ptr + offs_k[:, None] * stride_bk + (offs_n % N)[None, :].to(tl.int64) * stride_bn

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kk in range(0, tl.cdiv(K, BLOCK_K)):
        k_ok = offs_k < K - kk * BLOCK_K
        a = tl.load(a_ptrs, mask=k_ok[None, :], other=0.0)
        b = tl.load(b_ptrs, mask=k_ok[:, None], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk

    if USE_TMA:
        # The descriptor knows C's shape: the store writes only the in-bounds part.
        c_out.store([pid_m * BLOCK_M, pid_n * BLOCK_N], acc.to(c_out.dtype))
    else:
        c_ptrs = c_out + offs_m[:, None].to(tl.int64) * stride_cm + offs_n[None, :] * stride_cn
        tl.store(c_ptrs, acc.to(c_out.dtype.element_ty),
                 mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def _device_has_tma(device):
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        return True  # the interpreter emulates descriptors
    if torch.version.hip or device.type != "cuda":
        return False
    return torch.cuda.get_device_capability(device)[0] >= 9


def test_tma_store_gemm(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, K = a.shape
    _, N = b.shape
    c = torch.empty((M, N), device=a.device, dtype=a.dtype)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    if interpret:
        bm, bn, bk, warps, stages = 32, 32, 32, 4, 1  # small tests span several tiles
    elif torch.version.hip:
        bm, bn, bk, warps, stages = 256, 256, 32, 8, 2
    else:
        bm, bn, bk, warps, stages = 128, 256, 64, 8, 3
    # TMA needs a 16-byte-aligned base and 16-byte-aligned row stride.
    use_tma = (_device_has_tma(a.device) and (c.stride(0) * c.element_size()) % 16 == 0
               and c.data_ptr() % 16 == 0)
    c_out = TensorDescriptor(c, [M, N], [c.stride(0), 1], [bm, bn]) if use_tma else c
    grid = (triton.cdiv(M, bm) * triton.cdiv(N, bn),)
    _gemm_tma_store_kernel[grid](
        a, b, c_out, M, N, K,
        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8, USE_TMA=use_tma,
        UPCAST=interpret and a.dtype == torch.bfloat16,
        num_warps=warps, num_stages=stages)
    return c
