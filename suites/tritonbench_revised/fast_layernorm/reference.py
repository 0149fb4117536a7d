"""fast_layernorm: layer normalisation over the last dim of x (M, N), N <= 8192, that
also returns the statistics a backward pass needs:
    mean[i] = mean_j x[i, j],   rstd[i] = 1 / sqrt(mean_j (x[i, j] - mean[i])^2 + eps),
    y[i, j] = (x[i, j] - mean[i]) * rstd[i] * weight[j] + bias[j].
Computed in float64; y returned in x's dtype, mean and rstd in float32."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: shift adds a common offset to every row (a one-pass E[x^2] - mean^2
    # variance cancels there and misses rstd by ~1e-4 relative); const_rows=1 makes
    # every other row constant (variance exactly 0: rstd = 1/sqrt(eps), y = bias), with
    # row 0 all zero; eps defaults to 1e-5.
    x = torch.randn(m, n, generator=gen) * case.params.get("scale", 1.0) + case.params.get("shift", 0.0)
    if case.params.get("const_rows", 0.0):
        c = torch.randn(m, generator=gen) * 4.0
        c[0] = 0.0
        x[0::2] = c[0::2, None]
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    bias = (0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    return [x.to(case.dtype), weight, bias, case.params.get("eps", 1e-5)]


def reference(x, weight, bias, eps):
    xd = x.to(torch.float64)
    mean = xd.mean(dim=1)
    xc = xd - mean[:, None]
    rstd = torch.rsqrt((xc * xc).mean(dim=1) + eps)
    y = xc * rstd[:, None] * weight.to(torch.float64) + bias.to(torch.float64)
    return y.to(x.dtype), mean.to(torch.float32), rstd.to(torch.float32)


def baseline(x, weight, bias, eps):
    """What a PyTorch user writes: F.layer_norm, plus float32 var_mean for the saved stats."""
    # float32 statistics: they are returned in float32 (16-bit ones would be too coarse).
    var, mean = torch.var_mean(x.float(), dim=1, correction=0)
    rstd = torch.rsqrt(var + eps)
    y = F.layer_norm(x, (x.shape[1],), weight, bias, eps)
    return y, mean, rstd
