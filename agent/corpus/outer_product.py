"""Outer product of two vectors: out[i, j] = a[i] * b[j], tiled in 2-D with broadcasting of a column and a row block."""
import torch
import triton
import triton.language as tl


@triton.jit
def _outer(a_ptr, b_ptr, o_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr):
    i = tl.program_id(0) * BM + tl.arange(0, BM)
    j = tl.program_id(1) * BN + tl.arange(0, BN)
    av = tl.load(a_ptr + i, mask=i < M, other=0.0)
    bv = tl.load(b_ptr + j, mask=j < N, other=0.0)
    tl.store(o_ptr + i[:, None] * N + j[None, :], av[:, None] * bv[None, :],
             mask=(i[:, None] < M) & (j[None, :] < N))


def outer_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, N = a.numel(), b.numel()
    o = torch.empty((M, N), device=a.device, dtype=a.dtype)
    _outer[(triton.cdiv(M, 32), triton.cdiv(N, 32))](a, b, o, M, N, BM=32, BN=32)
    return o
