"""streamk_matmul: C = A @ B for float16 A (M, K) and B (K, N), accumulated in float32
(here exactly enough: float64) and returned as float16. The stream-K work split is an
implementation strategy; the result is an ordinary matrix product."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A is scaled by 1/sqrt(K) so every entry of C is ~N(0, 1) whatever K is.
    a = (torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [a, b]


def reference(a, b):
    return (a.double() @ b.double()).to(a.dtype)


def baseline(a, b):
    """What a PyTorch user writes: a float16 matmul (float32 accumulation inside)."""
    return a @ b
