"""naive_softmax: masked row softmax of x (M, N) with a boolean keep-mask (M, N):
    y[i, j] = exp(x[i, j]) / sum_{k: mask[i, k]} exp(x[i, k])   where mask[i, j],
    y[i, j] = 0                                                 elsewhere,
so a row with nothing kept is all 0. Computed in float32, returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: keep is the probability an entry is kept; every 7th row (from row 3) is
    # fully masked. Dropped entries hold 3e4 (finite in float16), so a kernel that lets
    # them into the max or the sum is far off. scale multiplies the normal draws (1e3:
    # exp(x) overflows float32 unless the max is subtracted).
    p = case.params.get("keep", 0.8)
    scale = case.params.get("scale", 1.0)
    x = torch.randn(m, n, generator=gen) * scale
    mask = torch.rand(m, n, generator=gen) < p
    mask[3::7] = False
    x = torch.where(mask, x, torch.full_like(x, 3e4))
    return [x.to(case.dtype), mask]


def reference(x, mask):
    xf = x.to(torch.float32).masked_fill(~mask, float("-inf"))
    y = torch.softmax(xf, dim=-1)
    # Fully masked rows: softmax of all -inf is NaN; the task defines them as 0.
    return torch.where(mask, y, torch.zeros_like(y)).to(x.dtype)


def baseline(x, mask):
    """What a PyTorch user writes: masked_fill with -inf, F.softmax, zero the dropped entries."""
    y = F.softmax(x.masked_fill(~mask, float("-inf")), dim=-1)
    # Fully masked rows come out NaN; zeroing every dropped entry clears them too.
    return y.masked_fill(~mask, 0.0)
