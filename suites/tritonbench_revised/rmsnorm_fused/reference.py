"""rmsnorm_fused: residual add followed by RMS normalization over the last dim:
    s = x + residual (exact),  h = s rounded to x's dtype (the new residual stream),
    y[i, :] = s[i, :] / sqrt(mean_j s[i, j]^2 + eps) * weight, rounded to x's dtype,
for x and residual (M, N) and weight (N,) of one dtype; y is computed in float64 from
the unrounded sum (a float32 sum of two float16/bfloat16 values is exact unless their
exponents are ~15 apart). Returns (y, h)."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # The residual stream is typically larger than the sub-layer output added to it:
    # residual ~ N(0, 4), x ~ N(0, 1), so x + residual rounds in the low dtypes.
    # params: cancel_rows=1 sets residual = -x on every third row (h exactly 0, y
    # exactly 0: eps keeps 0 / 0 away); scale multiplies both; eps defaults to 1e-6.
    scale = case.params.get("scale", 1.0)
    x = (torch.randn(m, n, generator=gen) * scale).to(case.dtype)
    residual = (2.0 * torch.randn(m, n, generator=gen) * scale).to(case.dtype)
    if case.params.get("cancel_rows", 0):
        residual[0::3] = -x[0::3]
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    eps = case.params.get("eps", 1e-6)
    return [x, residual, weight, eps]


def reference(x, residual, weight, eps):
    s = x.to(torch.float64) + residual.to(torch.float64)
    rstd = torch.rsqrt(s.square().mean(dim=-1, keepdim=True) + eps)
    y = (s * rstd * weight.to(torch.float64)).to(x.dtype)
    return y, s.to(x.dtype)


def baseline(x, residual, weight, eps):
    """What a PyTorch user writes: the residual add in float32, then F.rms_norm of the sum."""
    # float32: the sum of two 16-bit values is (nearly) exact there, and the norm's
    # statistics want float32 anyway.
    s = x.float() + residual.float()
    y = F.rms_norm(s, (s.shape[-1],), weight.float(), eps)
    return y.to(x.dtype), s.to(x.dtype)
