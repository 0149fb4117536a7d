"""layer_norm_welfold: layer normalization over the last dim of wide rows x (M, N):
    out[i, :] = (x[i, :] - mean_i) / sqrt(var_i + eps) * weight + bias,
with mean_i and the biased variance var_i (divided by N) of row i. Computed in float64
and returned in x's dtype. weight and bias are (N,) tensors of x's dtype; eps a float."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: shift is a common offset added to every row and scale multiplies the
    # normal draws. shift=1e4 with scale=10 gives rows whose mean square (1e8) is 1e6
    # times their variance (100): a float32 E[x^2] - E[x]^2 loses it entirely (the
    # float32 spacing at 1e8 is 8). const_rows=1 makes every other row constant (row 0
    # all zero): zero variance, so the output is exactly bias (bfloat16-representable
    # constants and N a power of two keep the mean exact in any summation order).
    scale = case.params.get("scale", 1.0)
    shift = case.params.get("shift", 0.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale + shift
    if case.params.get("const_rows", 0.0):
        c = torch.randn(m, generator=gen, dtype=torch.float32).to(torch.bfloat16).to(torch.float32)
        c[0] = 0.0
        x[0::2] = c[0::2, None]
    weight = 1.0 + 0.5 * torch.randn(n, generator=gen, dtype=torch.float32)
    bias = 0.5 * torch.randn(n, generator=gen, dtype=torch.float32)
    return [x.to(case.dtype), weight.to(case.dtype), bias.to(case.dtype), 1e-5]


def reference(x, weight, bias, eps):
    xd = x.to(torch.float64)
    mean = xd.mean(dim=-1, keepdim=True)
    var = (xd - mean).square().mean(dim=-1, keepdim=True)
    y = (xd - mean) / torch.sqrt(var + eps) * weight.to(torch.float64) + bias.to(torch.float64)
    return y.to(x.dtype)


def baseline(x, weight, bias, eps):
    """What a PyTorch user writes: F.layer_norm in x's dtype (float32 statistics inside)."""
    return F.layer_norm(x, (x.shape[-1],), weight, bias, eps)
