"""log_softmax: row log-softmax over the last dim of a 2-D tensor x (M, N):
    y[i, j] = x[i, j] - max_k x[i, k] - log(sum_k exp(x[i, k] - max_k x[i, k])),
computed in float64 from x's values and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the standard-normal draws, shift is added. scale 1e4
    # (1e3 in float16, below its 65504 maximum) or shift 1e3 make exp(x) overflow
    # float32 unless the row max is subtracted; with scale 1e4 rows are nearly one-hot,
    # so the max entry's output is a tiny negative number and the others are huge.
    scale = case.params.get("scale", 1.0)
    shift = case.params.get("shift", 0.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale + shift
    return [x.to(case.dtype)]


def reference(x):
    return torch.log_softmax(x.to(torch.float64), dim=-1).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: F.log_softmax in x's dtype (float32 math inside)."""
    return F.log_softmax(x, dim=-1)
