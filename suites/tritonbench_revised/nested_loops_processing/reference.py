"""nested_loops_processing: a row-scaled, column-biased ReLU over a 2-D tensor,
    out[i, j] = max(x[i, j] * row_scale[i] + col_bias[j], 0),
evaluated here in float64 from the inputs and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    x = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    row_scale = torch.rand(m, generator=gen, dtype=torch.float32) * 4.0 - 1.0  # some negative
    row_scale[::7] = 0.0  # rows that reduce to relu(col_bias)
    col_bias = torch.randn(n, generator=gen, dtype=torch.float32)
    return [x, row_scale, col_bias]


def reference(x, row_scale, col_bias):
    h = x.double() * row_scale.double()[:, None] + col_bias.double()[None, :]
    return h.clamp_min(0.0).to(x.dtype)


def baseline(x, row_scale, col_bias):
    """What a PyTorch user writes: broadcast multiply-add (float32 by promotion) and a ReLU."""
    return torch.relu(x * row_scale[:, None] + col_bias).to(x.dtype)
