"""matmul_kernel: C = A @ B for A (M, K) and B (K, N), computed in float32 and
returned in the inputs' dtype."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A is scaled by 1/sqrt(K) so every entry of C is ~N(0, 1) whatever K is; one set
    # of tolerances per dtype then fits every case, from K=1 to K=4096.
    a = (torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [a, b]


def reference(a, b):
    return (a.float() @ b.float()).to(a.dtype)


def baseline(a, b):
    """What a PyTorch user writes: torch.matmul in the inputs' dtype."""
    return a @ b
