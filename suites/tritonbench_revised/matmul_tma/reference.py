"""matmul_tma: C = A @ B for float16 A (M, K) and B (K, N), computed in float64 and
returned in float16."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A carries a 1/sqrt(K) factor so C ~ N(0, 1) for every K: one tolerance fits all.
    a = (torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [a, b]


def reference(a, b):
    return (a.double() @ b.double()).to(a.dtype)


def baseline(a, b):
    """What a PyTorch user writes: torch.matmul in the inputs' dtype."""
    return a @ b
