"""vector_addition_custom: the scaled vector sum (BLAS axpy, out of place)
    out = alpha * x + y
for two 1-D tensors of the same length and dtype and a Python float alpha, evaluated
here in float64 from the inputs and returned in their dtype."""

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    x = torch.randn(n, generator=gen, dtype=torch.float32).to(case.dtype)
    y = torch.randn(n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [x, y, float(case.params["alpha"])]


def reference(x, y, alpha):
    return (alpha * x.double() + y.double()).to(x.dtype)


def baseline(x, y, alpha):
    """What a PyTorch user writes: torch.add(y, x, alpha=alpha), one fused axpy."""
    return torch.add(y, x, alpha=alpha)
