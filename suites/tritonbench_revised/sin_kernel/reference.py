"""sin_kernel: out = sin(x) elementwise for a contiguous 1-D float32 tensor with
|x| <= 100, evaluated here in float64 and rounded to float32."""

import math

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    x = (torch.rand(n, generator=gen, dtype=torch.float64) * 2.0 - 1.0) * 100.0
    # Edge arguments: 0, -0, and the float32 values nearest to multiples of pi / 2
    # (zeros and extrema of sin, where a sloppy range reduction shows).
    edges = torch.tensor([0.0, -0.0] + [k * math.pi / 2 for k in range(-6, 7)], dtype=torch.float64)
    k = min(n, edges.numel())
    x[:k] = edges[:k]
    return [x.to(torch.float32)]


def reference(x):
    return torch.sin(x.to(torch.float64)).to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: torch.sin in float32."""
    return torch.sin(x)
