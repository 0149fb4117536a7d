"""rms_norm_triton: input gradient of RMS normalization y = x * rstd * weight over the
last dim of x (M, N), rstd[i] = 1 / sqrt(mean_j x[i, j]^2 + eps), given the upstream
gradient dy (M, N):
    dx[i, j] = rstd[i] * dy[i, j] * w[j] - x[i, j] * rstd[i]^3 / N * sum_k dy[i, k] w[k] x[i, k].
Computed in float64 (rstd recomputed from x) and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the draws of x (1e-3: mean squares equal to eps, so eps
    # matters); eps defaults to 1e-6; zero_rows=1 zeroes every third row of x (rstd =
    # 1/sqrt(eps) = 1000 there, dx = 1000 * dy * w) and every fifth row of dy (dx = 0).
    x = torch.randn(m, n, generator=gen) * case.params.get("scale", 1.0)
    weight = 1.0 + 0.5 * torch.randn(n, generator=gen)
    dy = torch.randn(m, n, generator=gen)
    if case.params.get("zero_rows", 0):
        x[0::3] = 0.0
        dy[1::5] = 0.0
    eps = case.params.get("eps", 1e-6)
    return [x.to(case.dtype), weight.to(case.dtype), dy.to(case.dtype), eps]


def reference(x, weight, dy, eps):
    xd, wd, dyd = x.to(torch.float64), weight.to(torch.float64), dy.to(torch.float64)
    n = x.shape[-1]
    rstd = torch.rsqrt(xd.square().mean(dim=-1, keepdim=True) + eps)
    g = dyd * wd
    dx = rstd * g - xd * (rstd ** 3 / n) * (g * xd).sum(dim=-1, keepdim=True)
    return dx.to(x.dtype)


def baseline(x, weight, dy, eps):
    """What a PyTorch user writes: the RMSNorm input-gradient formula, in float32."""
    # Norm statistics and the row reduction in float32, as usual for 16-bit data.
    xf, g = x.float(), dy.float() * weight.float()
    rstd = torch.rsqrt(xf.square().mean(dim=-1, keepdim=True) + eps)
    dx = rstd * g - xf * (rstd.pow(3) / x.shape[-1]) * (g * xf).sum(dim=-1, keepdim=True)
    return dx.to(x.dtype)
