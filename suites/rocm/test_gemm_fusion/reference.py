"""test_gemm_fusion: out = GELU(A @ B + bias) with the exact GELU
0.5 * x * (1 + erf(x / sqrt(2))), for A (M, K), B (K, N), bias (N,). Computed in
float64 and returned in the inputs' dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A @ B ~ N(0, 1) (A carries 1/sqrt(K)); bias ~ N(0, 1) spreads the pre-activation
    # over GELU's curved region and both tails.
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen).to(case.dtype)
    bias = torch.randn(n, generator=gen).to(case.dtype)
    return [a, b, bias]


def reference(a, b, bias):
    x = a.double() @ b.double() + bias.double()
    return torch.nn.functional.gelu(x).to(a.dtype)


def baseline(a, b, bias):
    """What a PyTorch user writes: addmm with the bias, then exact GELU, in the inputs' dtype."""
    return F.gelu(torch.addmm(bias, a, b))
