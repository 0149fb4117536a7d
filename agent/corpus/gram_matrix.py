"""Gram matrix G = X X^T of a tall matrix X [N, K]: 2-D tiles of G, each accumulating tl.dot of a row block of X with the transposed row block, in float32."""
import torch
import triton
import triton.language as tl


@triton.jit
def _gram(x_ptr, g_ptr, N, K, sx, BT: tl.constexpr, BK: tl.constexpr):
    bi, bj = tl.program_id(0), tl.program_id(1)
    ri = bi * BT + tl.arange(0, BT)
    rj = bj * BT + tl.arange(0, BT)
    acc = tl.zeros([BT, BT], dtype=tl.float32)
    for k0 in range(0, K, BK):
        kk = k0 + tl.arange(0, BK)
        xi = tl.load(x_ptr + ri[:, None] * sx + kk[None, :], mask=(ri[:, None] < N) & (kk[None, :] < K), other=0.0)
        xj = tl.load(x_ptr + rj[None, :] * sx + kk[:, None], mask=(rj[None, :] < N) & (kk[:, None] < K), other=0.0)
        acc += tl.dot(xi, xj)
    tl.store(g_ptr + ri[:, None] * N + rj[None, :], acc, mask=(ri[:, None] < N) & (rj[None, :] < N))


def gram_matrix(x: torch.Tensor) -> torch.Tensor:
    N, K = x.shape
    g = torch.empty((N, N), device=x.device, dtype=torch.float32)
    _gram[(triton.cdiv(N, 32), triton.cdiv(N, 32))](x, g, N, K, x.stride(0), BT=32, BK=32)
    return g
