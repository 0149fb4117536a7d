"""layer_norm_ops: layer normalisation without affine parameters over the last dim of
x (B, T, C), as torch.nn.functional.layer_norm(x, (C,), eps=eps):
    y[b, t, :] = (x[b, t, :] - mean) / sqrt(var + eps),
with the mean and biased variance of each (b, t) row. Computed in float64, returned in
x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, t, c = case.dims["B"], case.dims["T"], case.dims["C"]
    # params: shift adds a common offset (300 in float16: a one-pass E[x^2] - mean^2
    # variance cancels there and misses y by ~3e-2);
    # scale multiplies the draws; const_rows=1 makes every other row constant, from
    # row 0 (variance 0: y exactly 0, with C a power of two the mean is exact);
    # eps defaults to 1e-5.
    x = torch.randn(b, t, c, generator=gen) * case.params.get("scale", 1.0) + case.params.get("shift", 0.0)
    if case.params.get("const_rows", 0.0):
        rows = x.view(-1, c)
        rows[0::2] = (torch.randn(rows.shape[0], generator=gen) * 3.0)[0::2, None]
    return [x.to(case.dtype), case.params.get("eps", 1e-5)]


def reference(x, eps):
    y = torch.nn.functional.layer_norm(x.to(torch.float64), (x.shape[-1],), eps=eps)
    return y.to(x.dtype)


def baseline(x, eps):
    """What a PyTorch user writes: F.layer_norm in x's dtype (float32 statistics inside)."""
    return F.layer_norm(x, (x.shape[-1],), eps=eps)
