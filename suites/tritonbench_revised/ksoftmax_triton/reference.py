"""ksoftmax_triton: row softmax over the last dim of a 2-D tensor x (M, N) whose rows
may be very wide (N up to 131072):
    y[i, j] = exp(x[i, j] - max_k x[i, k]) / sum_k exp(x[i, k] - max_k x[i, k]),
computed in float64 from x's values and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the normal draws and `ramp` adds ramp * j / N to column j,
    # so the row max keeps growing from chunk to chunk (an online kernel must rescale
    # its running sum over and over) or, for a negative ramp, sits in the first chunk.
    # A scale of 1e3 (float16 values stay below 65504) overflows exp(x) in float32
    # unless the max is subtracted.
    scale = case.params.get("scale", 1.0)
    ramp = case.params.get("ramp", 0.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale
    x += ramp * torch.arange(n, dtype=torch.float32) / n
    return [x.to(case.dtype)]


def reference(x):
    return torch.softmax(x.to(torch.float64), dim=-1).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: F.softmax in x's dtype (float32 math inside)."""
    return F.softmax(x, dim=-1)
