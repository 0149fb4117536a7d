"""matmul_leakyrelu: C = leaky_relu(A @ B + bias, negative_slope) for A (M, K), B (K, N)
and bias (N,), all float16; computed in float64 and returned as float16."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # params.slope: the negative slope (default 0.01, leaky_relu's default).
    slope = case.params.get("slope", 0.01)
    # A carries a 1/sqrt(K) factor so A @ B ~ N(0, 1) for every K; bias ~ N(0, 1) too,
    # so about half of the outputs take each branch.
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen).to(case.dtype)
    bias = torch.randn(n, generator=gen).to(case.dtype)
    return [a, b, bias, slope]


def reference(a, b, bias, negative_slope=0.01):
    pre = a.double() @ b.double() + bias.double()
    return torch.nn.functional.leaky_relu(pre, negative_slope).to(a.dtype)


def baseline(a, b, bias, negative_slope=0.01):
    """What a PyTorch user writes: torch.addmm in float16, then F.leaky_relu."""
    return F.leaky_relu(torch.addmm(bias, a, b), negative_slope)
