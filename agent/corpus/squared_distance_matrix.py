"""Pairwise squared Euclidean distances between two small point sets A [M, D] and B [N, D], one program per (row of A, block of B), looping over dimensions."""
import torch
import triton
import triton.language as tl


@triton.jit
def _sqdist(a_ptr, b_ptr, o_ptr, N, D, BN: tl.constexpr):
    i = tl.program_id(0)
    j = tl.program_id(1) * BN + tl.arange(0, BN)
    acc = tl.zeros([BN], dtype=tl.float32)
    for d in range(0, D):
        av = tl.load(a_ptr + i * D + d).to(tl.float32)
        bv = tl.load(b_ptr + j * D + d, mask=j < N, other=0.0).to(tl.float32)
        acc += (av - bv) * (av - bv)
    tl.store(o_ptr + i * N + j, acc, mask=j < N)


def squared_distance_matrix(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    M, D = a.shape
    N = b.shape[0]
    o = torch.empty((M, N), device=a.device, dtype=torch.float32)
    _sqdist[(M, triton.cdiv(N, 128))](a.contiguous(), b.contiguous(), o, N, D, BN=128)
    return o
