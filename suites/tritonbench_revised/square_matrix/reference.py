"""square_matrix: C = A @ A for a square A (N, N), computed in float64 and returned in
A's dtype."""

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    # Entries ~ N(0, N^-1/2): each C[i, j] is a sum of N products of variance 1/N, so
    # C ~ N(0, 1) (give or take the diagonal's A[i, i]^2 term) for every N.
    a = torch.randn(n, n, generator=gen, dtype=torch.float32) * n ** -0.25
    return [a.to(case.dtype)]


def reference(a):
    a64 = a.double()
    return (a64 @ a64).to(a.dtype)


def baseline(a):
    """What a PyTorch user writes: a @ a in A's dtype."""
    return a @ a
