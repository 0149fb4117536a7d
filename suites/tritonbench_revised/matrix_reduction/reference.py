"""matrix_reduction: the sum of all elements of a (M, N) matrix, accumulated in float32
or better and returned as a one-element float32 tensor."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # Mean 1 (mixed signs): the sum grows like M * N, so a relative tolerance is
    # meaningful and a dropped or doubled element (~1) shows in the small cases.
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) + 1.0
    return [x.to(case.dtype)]


def reference(x):
    return x.to(torch.float64).sum().reshape(1).to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: one sum with a float32 accumulator."""
    return x.sum(dtype=torch.float32).reshape(1)
