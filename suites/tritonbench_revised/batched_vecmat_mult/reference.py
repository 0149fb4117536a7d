"""batched_vecmat_mult: y[b, n] = sum_k x[b, k] * W[b, k, n] for x (B, K) and W (B, K, N)
(W[b] row-major K x N), computed in float64 and returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    b, k, n = case.dims["B"], case.dims["K"], case.dims["N"]
    # x carries a 1/sqrt(K) factor so y ~ N(0, 1) for every K: one tolerance per dtype.
    x = (torch.randn(b, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    w = torch.randn(b, k, n, generator=gen).to(case.dtype)
    return [x, w]


def reference(x, w):
    return torch.einsum("bk,bkn->bn", x.double(), w.double()).to(w.dtype)


def baseline(x, w):
    """What a PyTorch user writes: torch.bmm of (B, 1, K) by (B, K, N), in the inputs' dtype."""
    return torch.bmm(x.unsqueeze(1), w).squeeze(1)
