"""vector_addition: out = x + y, elementwise over two 1-D tensors."""

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    x = torch.randn(n, generator=gen, dtype=torch.float32).to(case.dtype)
    y = torch.randn(n, generator=gen, dtype=torch.float32).to(case.dtype)
    return [x, y]


def reference(x, y):
    return x + y


# The reference is already what a PyTorch user writes.
baseline = reference
