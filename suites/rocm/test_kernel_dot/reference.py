"""test_kernel_dot: Z[b] = X[b] @ Y[b] for X (B, M, K) and Y (B, K, N) with
M, N, K <= 64, computed in float64 and returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    b, m, n, k = case.dims["B"], case.dims["M"], case.dims["N"], case.dims["K"]
    # X carries a 1/sqrt(K) factor so Z ~ N(0, 1) for every K: one tolerance per dtype.
    x = (torch.randn(b, m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    y = torch.randn(b, k, n, generator=gen).to(case.dtype)
    return [x, y]


def reference(x, y):
    return torch.bmm(x.double(), y.double()).to(x.dtype)


def baseline(x, y):
    """What a PyTorch user writes: a batched matmul in the inputs' dtype."""
    return torch.bmm(x, y)
