"""iv_dependent_matmul: C = A @ B^T + bias for A (M, K), B (N, K) and bias (N,) (a linear
layer's forward), computed in float64 and returned in the inputs' dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A carries a 1/sqrt(K) factor so A @ B^T ~ N(0, 1) for every K; bias ~ N(0, 1) too.
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(n, k, generator=gen).to(case.dtype)
    bias = torch.randn(n, generator=gen).to(case.dtype)
    return [a, b, bias]


def reference(a, b, bias):
    return (a.double() @ b.double().t() + bias.double()).to(a.dtype)


def baseline(a, b, bias):
    """What a PyTorch user writes: F.linear (one GEMM with the bias) in the inputs' dtype."""
    return F.linear(a, b, bias)
