"""test_iv_dependent_matmul: C = A @ B for A (M, K) and B (K, N), computed in float64 and returned in the
inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A carries a 1/sqrt(K) factor so C ~ N(0, 1) for every K: one tolerance per dtype.
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen).to(case.dtype)
    return [a, b]


def reference(a, b):
    return (a.double() @ b.double()).to(a.dtype)


def baseline(a, b):
    """What a PyTorch user writes: a plain matmul in the inputs' dtype."""
    return a @ b
