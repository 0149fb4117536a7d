"""layer_norm_liger: backward of layer normalisation y = (x - mean) * rstd * w + b over
the last dim of x (M, N), from the forward's saved per-row mean and rstd (float32, (M,))
and the upstream gradient dy (M, N). With xhat = (x - mean) * rstd and g = dy * w:
    dx[i, :] = rstd_i * (g[i, :] - mean_j g[i, j] - xhat[i, :] * mean_j (g * xhat)[i, j]),
    dw = sum_i dy[i, :] * xhat[i, :],   db = sum_i dy[i, :].
Computed in float64; dx returned in x's dtype, dw and db in weight's dtype."""

import torch

EPS = 1e-5


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: const_rows=1 makes every other row constant, from row 0 (xhat exactly 0,
    # rstd = 1/sqrt(eps): dx = rstd * (g - mean g), and these rows add only to db).
    x = torch.randn(m, n, generator=gen)
    if case.params.get("const_rows", 0.0):
        x[0::2] = (torch.randn(m, generator=gen) * 2.0)[0::2, None]
    x = x.to(case.dtype)
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    dy = torch.randn(m, n, generator=gen).to(case.dtype)
    # mean and rstd as a float32 forward pass saves them (exact values, rounded once).
    xd = x.to(torch.float64)
    mean = xd.mean(dim=1)
    rstd = torch.rsqrt(((xd - mean[:, None]) ** 2).mean(dim=1) + EPS)
    return [dy, x, weight, mean.to(torch.float32), rstd.to(torch.float32)]


def reference(dy, x, weight, mean, rstd):
    dyd, xd, wd = dy.to(torch.float64), x.to(torch.float64), weight.to(torch.float64)
    md, rd = mean.to(torch.float64)[:, None], rstd.to(torch.float64)[:, None]
    xhat = (xd - md) * rd
    g = dyd * wd
    dx = rd * (g - g.mean(dim=1, keepdim=True) - xhat * (g * xhat).mean(dim=1, keepdim=True))
    dw = (dyd * xhat).sum(dim=0)
    db = dyd.sum(dim=0)
    return dx.to(x.dtype), dw.to(weight.dtype), db.to(weight.dtype)


def baseline(dy, x, weight, mean, rstd):
    """What a PyTorch user writes: the closed-form layer-norm backward from the saved
    statistics, in float32."""
    # float32 as layer-norm backward is computed: row means of products that nearly
    # cancel, and column sums over all M rows.
    dyf, xf = dy.float(), x.float()
    rstd = rstd[:, None]
    xhat = (xf - mean[:, None]) * rstd
    g = dyf * weight.float()
    dx = rstd * (g - g.mean(dim=1, keepdim=True) - xhat * (g * xhat).mean(dim=1, keepdim=True))
    dw = (dyf * xhat).sum(dim=0)
    db = dyf.sum(dim=0)
    return dx.to(x.dtype), dw.to(weight.dtype), db.to(weight.dtype)
