"""layernorm: layer normalisation over the last dim of a 2-D tensor x (M, N) with
elementwise affine weight and bias (N,):
    y[i, :] = (x[i, :] - mean_i) / sqrt(var_i + eps) * weight + bias,
mean and (biased) variance over the row. Computed in float64, returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: shift adds a common offset to every row (a large mean relative to the
    # spread, where a one-pass E[x^2] - E[x]^2 variance cancels badly); scale multiplies
    # the draws. stride > N makes x a column slice of a wider (M, stride) buffer.
    scale = case.params.get("scale", 1.0)
    shift = case.params.get("shift", 0.0)
    stride = int(case.params.get("stride", n))
    buf = torch.randn(m, stride, generator=gen) * scale + shift
    x = buf.to(case.dtype)[:, :n]
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    bias = (0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    return [x, weight, bias, 1e-5]


def reference(x, weight, bias, eps):
    xd = x.to(torch.float64)
    mean = xd.mean(dim=-1, keepdim=True)
    var = ((xd - mean) ** 2).mean(dim=-1, keepdim=True)
    y = (xd - mean) / torch.sqrt(var + eps) * weight.to(torch.float64) + bias.to(torch.float64)
    return y.to(x.dtype)


def baseline(x, weight, bias, eps):
    """What a PyTorch user writes: F.layer_norm (float32 statistics for 16-bit inputs)."""
    return F.layer_norm(x, (x.shape[-1],), weight, bias, eps)
