"""fused_layernorm_triton: residual add followed by layer normalisation over the last
dim, for x and residual (M, N), weight and bias (N,):
    h = x + residual   (the float32 sum; returned rounded to x's dtype),
    y[i, :] = (h[i, :] - mean_i) / sqrt(var_i + eps) * weight + bias,
with the mean and biased variance of the unrounded row h[i, :]. Computed in float64
(x + residual of two 16-bit or float32 values is exact there, as it nearly always is
in float32); y and h returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: shift adds a common offset to x (large row means: a one-pass variance
    # cancels); cancel_rows=1 sets residual = -x on every fourth row, from row 0, so h
    # is exactly 0 there (variance 0, rstd = 1/sqrt(eps), y = bias); eps defaults 1e-5.
    x = (torch.randn(m, n, generator=gen) + case.params.get("shift", 0.0)).to(case.dtype)
    residual = torch.randn(m, n, generator=gen).to(case.dtype)
    if case.params.get("cancel_rows", 0.0):
        residual[0::4] = -x[0::4]
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    bias = (0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    return [x, residual, weight, bias, case.params.get("eps", 1e-5)]


def reference(x, residual, weight, bias, eps):
    h = x.to(torch.float64) + residual.to(torch.float64)
    mean = h.mean(dim=1, keepdim=True)
    hc = h - mean
    rstd = torch.rsqrt((hc * hc).mean(dim=1, keepdim=True) + eps)
    y = hc * rstd * weight.to(torch.float64) + bias.to(torch.float64)
    return y.to(x.dtype), h.to(x.dtype)


def baseline(x, residual, weight, bias, eps):
    """What a PyTorch user writes: float32 residual add (residual_in_fp32), then F.layer_norm."""
    # float32 h, as the task asks: the statistics are of the unrounded sum.
    h = x.float() + residual.float()
    y = F.layer_norm(h, (h.shape[1],), weight.float(), bias.float(), eps)
    return y.to(x.dtype), h.to(x.dtype)
