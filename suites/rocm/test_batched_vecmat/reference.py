"""test_batched_vecmat: out[b, n] = sum_k x[b, k] * W[b, n, k] for x (B, K) and
W (B, N, K), computed in float64 and returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    b, n, k = case.dims["B"], case.dims["N"], case.dims["K"]
    # x carries a 1/sqrt(K) factor so out ~ N(0, 1) for every K.
    x = (torch.randn(b, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    w = torch.randn(b, n, k, generator=gen).to(case.dtype)
    return [x, w]


def reference(x, w):
    return torch.einsum("bk,bnk->bn", x.double(), w.double()).to(w.dtype)


def baseline(x, w):
    """What a PyTorch user writes: a batched matrix-vector product in the inputs' dtype."""
    return torch.bmm(w, x.unsqueeze(-1)).squeeze(-1)
