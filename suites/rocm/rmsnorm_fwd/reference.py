"""rmsnorm_fwd: RMS normalisation over the last dim of x (M, N) with weight (N,),
returning the output and each row's reciprocal RMS (saved for the backward pass):
    rstd[i] = 1 / sqrt(mean_j x[i, j]^2 + eps),   y[i, j] = x[i, j] * rstd[i] * weight[j].
Computed in float64; y is returned in x's dtype, rstd in float32."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the draws (1e-3 gives mean squares equal to eps, 1e2 in
    # float16 gives squares past its 65504 maximum, fine only if squared in float32);
    # zero_rows=1 zeroes every third row (rstd = 1/sqrt(eps), y exactly 0); stride > N
    # makes x a column slice of a wider buffer.
    scale = case.params.get("scale", 1.0)
    stride = int(case.params.get("stride", n))
    x = (torch.randn(m, stride, generator=gen) * scale).to(case.dtype)[:, :n]
    if case.params.get("zero_rows", 0):
        x[::3] = 0
    weight = (1.0 + 0.5 * torch.randn(n, generator=gen)).to(case.dtype)
    return [x, weight, 1e-6]


def reference(x, weight, eps):
    xd = x.to(torch.float64)
    rstd = torch.rsqrt((xd * xd).mean(dim=-1) + eps)
    y = xd * rstd[:, None] * weight.to(torch.float64)
    return y.to(x.dtype), rstd.to(torch.float32)


def baseline(x, weight, eps):
    """What a PyTorch user writes: the usual float32 RMSNorm, also returning rstd."""
    # float32 as usual for norm statistics (and squares of float16 can overflow); the
    # output is rounded to x's dtype once.
    xf = x.float()
    rstd = torch.rsqrt(xf.square().mean(dim=-1) + eps)
    return (xf * rstd[:, None] * weight).to(x.dtype), rstd
