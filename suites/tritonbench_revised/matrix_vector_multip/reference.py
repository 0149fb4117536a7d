"""matrix_vector_multip: y = A @ x for A (M, N) and x (N,), computed in float64 and
returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # A carries a 1/sqrt(N) factor so y ~ N(0, 1) for every N: one tolerance fits all.
    a = (torch.randn(m, n, generator=gen, dtype=torch.float32) / math.sqrt(n)).to(case.dtype)
    x = torch.randn(n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [a, x]


def reference(a, x):
    return (a.double() @ x.double()).to(a.dtype)


def baseline(a, x):
    """What a PyTorch user writes: torch.mv in the inputs' dtype."""
    return a @ x
