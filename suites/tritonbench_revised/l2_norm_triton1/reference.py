"""l2_norm_triton1: L2 normalisation over the last dim of x (any number of leading
dims): y = x / sqrt(sum_k x_k^2 + eps) per row. Computed in float64, returned in x's
dtype."""

import torch


def make_inputs(case, gen):
    # dims d0, d1, ... give the shape in order (1 to 4 dims); the last is normalised.
    shape = [case.dims[k] for k in sorted(case.dims)]
    d = shape[-1]
    # params: scale multiplies the draws (100 in float16: squares past its 65504
    # maximum; 1e-4 in float32 with D < 100: sum x^2 below eps, so eps matters);
    # zero_rows=1 zeroes every third row, from row 0 (y exactly 0: eps keeps 0 / 0
    # away); eps defaults to 1e-6.
    x = torch.randn(*shape, generator=gen) * case.params.get("scale", 1.0)
    if case.params.get("zero_rows", 0.0):
        x.view(-1, d)[0::3] = 0.0
    return [x.to(case.dtype), case.params.get("eps", 1e-6)]


def reference(x, eps):
    xd = x.to(torch.float64)
    return (xd * torch.rsqrt((xd * xd).sum(dim=-1, keepdim=True) + eps)).to(x.dtype)


def baseline(x, eps):
    """What a PyTorch user writes: x * rsqrt(sum(x^2) + eps) with float32 statistics."""
    # float32 as in RMSNorm-style code: 16-bit squares overflow (float16 |x| ~ 100).
    xf = x.float()
    return (xf * torch.rsqrt(xf.square().sum(dim=-1, keepdim=True) + eps)).to(x.dtype)
