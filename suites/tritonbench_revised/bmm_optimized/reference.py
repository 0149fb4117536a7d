"""bmm_optimized: C[b] = A[b] @ B[b] for A (B, M, K) and B (B, K, N), computed in
float64 and returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    bsz, m, n, k = case.dims["B"], case.dims["M"], case.dims["N"], case.dims["K"]
    # A carries a 1/sqrt(K) factor so C ~ N(0, 1) for every K: one tolerance per dtype.
    a = (torch.randn(bsz, m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(bsz, k, n, generator=gen).to(case.dtype)
    return [a, b]


def reference(a, b):
    return torch.bmm(a.double(), b.double()).to(a.dtype)


def baseline(a, b):
    """What a PyTorch user writes: torch.bmm in the inputs' dtype."""
    return torch.bmm(a, b)
