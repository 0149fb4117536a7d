"""test_chained_matmul: D = (A @ B) @ C for A (M, K), B (K, N1), C (N1, N2). The
intermediate T = A @ B is rounded to the input dtype (the second dot's operand dtype),
then D = T @ C; products in float64, D returned in the input dtype."""

import math

import torch


def make_inputs(case, gen):
    m, k = case.dims["M"], case.dims["K"]
    n1, n2 = case.dims["N1"], case.dims["N2"]
    # 1/sqrt(K) and 1/sqrt(N1) factors keep T and D ~ N(0, 1) at every size.
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n1, generator=gen).to(case.dtype)
    c = (torch.randn(n1, n2, generator=gen) / math.sqrt(n1)).to(case.dtype)
    return [a, b, c]


def reference(a, b, c):
    t = (a.double() @ b.double()).to(a.dtype)
    return (t.double() @ c.double()).to(a.dtype)


def baseline(a, b, c):
    """What a PyTorch user writes: two matmuls in the inputs' dtype."""
    return (a @ b) @ c
