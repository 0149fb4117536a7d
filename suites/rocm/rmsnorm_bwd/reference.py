"""rmsnorm_bwd: gradients of y = x * rstd[:, None] * weight (RMS normalisation over the
last dim, rstd[i] = 1 / sqrt(mean_j x[i, j]^2 + eps) saved by the forward) given the
upstream gradient dy (M, N):
    dx[i, j] = rstd[i] * dy[i, j] * w[j] - x[i, j] * rstd[i]^3 / N * sum_k dy[i, k] w[k] x[i, k]
    dw[j]    = sum_i dy[i, j] * x[i, j] * rstd[i]
Computed in float64; dx returned in x's dtype, dw in weight's dtype."""

import torch

EPS = 1e-6


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: zero_rows=1 zeroes every third row of x (rstd = 1/sqrt(eps) = 1000 there,
    # dx = 1000 * dy * w); stride > N makes dy and x column slices of wider buffers.
    stride = int(case.params.get("stride", n))
    x = torch.randn(m, stride, generator=gen).to(case.dtype)[:, :n]
    if case.params.get("zero_rows", 0):
        x[::3] = 0
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    dy = torch.randn(m, stride, generator=gen).to(case.dtype)[:, :n]
    # rstd exactly as a float32 forward pass would save it.
    xd = x.to(torch.float64)
    rstd = torch.rsqrt((xd * xd).mean(dim=-1) + EPS).to(torch.float32)
    return [dy, x, weight, rstd]


def reference(dy, x, weight, rstd):
    dyd, xd, wd, rd = (t.to(torch.float64) for t in (dy, x, weight, rstd))
    n = x.shape[1]
    g = dyd * wd
    dx = rd[:, None] * g - xd * (rd ** 3 / n * (g * xd).sum(dim=1))[:, None]
    dw = (dyd * xd * rd[:, None]).sum(dim=0)
    return dx.to(x.dtype), dw.to(weight.dtype)


def baseline(dy, x, weight, rstd):
    """What a PyTorch user writes: the RMSNorm backward formulas in float32."""
    # float32, as usual for norm gradients of 16-bit data: row sums over N and the dw
    # sum over M rows are long accumulations.
    dyf, xf = dy.float(), x.float()
    n = x.shape[1]
    g = dyf * weight.float()
    r = rstd[:, None]
    dx = r * g - xf * (r ** 3 / n) * (g * xf).sum(dim=1, keepdim=True)
    dw = (dyf * xf * r).sum(dim=0)
    return dx.to(x.dtype), dw.to(weight.dtype)
