"""spinning_lock_reduction: column sums of a (M, N) matrix, out[j] = sum_i x[i, j],
accumulated in float32 or better and returned as float32 (N,). The ground truth splits
the rows across programs and merges their partial sums into the shared output under a
per-column-block atomic spin lock; any summation order is acceptable."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # Mean 1 (mixed signs): column sums grow like M, so a relative tolerance is
    # meaningful and a lost or doubled partial sum (or row, ~1) shows.
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) + 1.0
    return [x.to(case.dtype)]


def reference(x):
    return x.to(torch.float64).sum(dim=0).to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: a column sum accumulated in float32."""
    return x.sum(dim=0, dtype=torch.float32)
