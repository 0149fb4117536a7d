"""mean_reduction: mean over the middle (sequence) axis of a (B, S, D) tensor, as in mean
pooling of hidden states: out[b, d] = (1 / S) * sum_s x[b, s, d], accumulated in float32
or better and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    b, s, d = case.dims["B"], case.dims["S"], case.dims["D"]
    # Nonzero mean (0.5) so outputs are O(1) and relative errors are meaningful.
    x = torch.randn(b, s, d, generator=gen, dtype=torch.float32) * 2.0 + 0.5
    return [x.to(case.dtype)]


def reference(x):
    return x.to(torch.float64).mean(dim=1).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: x.mean over the sequence axis (float32 accumulation inside)."""
    return x.mean(dim=1)
