"""rmsnorm_triton: RMS normalization over the last dim of x (M, N):
    out[i, :] = x[i, :] / sqrt(mean_j(x[i, j]^2) + eps) * weight,
computed in float32 and returned in x's dtype. weight is an (N,) tensor of x's dtype;
eps a float."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the normal draws (small rows have mean squares near eps);
    # eps defaults to 1e-6; zero_rows=1 zeroes every third row, from row 0, whose output
    # is then exactly 0 (without eps it would be 0 / 0).
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    if case.params.get("zero_rows", 0.0):
        x[0::3] = 0.0
    weight = torch.randn(n, generator=gen, dtype=torch.float32)
    eps = case.params.get("eps", 1e-6)
    return [x.to(case.dtype), weight.to(case.dtype), eps]


def reference(x, weight, eps):
    xf = x.to(torch.float32)
    rstd = torch.rsqrt(xf.square().mean(dim=-1, keepdim=True) + eps)
    return (xf * rstd * weight.to(torch.float32)).to(x.dtype)


def baseline(x, weight, eps):
    """What a PyTorch user writes: F.rms_norm (float32 statistics inside)."""
    return F.rms_norm(x, (x.shape[-1],), weight, eps)
