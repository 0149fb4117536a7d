"""fast_rms_layernorm: Gemma-style RMS normalisation over the last dim of x (B, T, N),
whose weight w (N,) is an offset from 1:
    rstd[b, t] = 1 / sqrt(mean_j x[b, t, j]^2 + eps),
    y[b, t, j] = x[b, t, j] * rstd[b, t] * (1 + w[j]).
Computed in float64; y returned in x's dtype, rstd in float32."""

import torch


def make_inputs(case, gen):
    b, t, n = case.dims["B"], case.dims["T"], case.dims["N"]
    # params: scale multiplies the draws (1e-3: mean squares equal to eps; 100 in
    # float16: squares past its 65504 maximum, fine only if squared in float32);
    # zero_rows=1 zeroes every third row (rstd = 1/sqrt(eps), y exactly 0).
    # Gemma weights are offsets around 0 (trained from 0); every 5th is exactly -1, so
    # 1 + w = 0 there and y is 0 whatever x is.
    x = torch.randn(b, t, n, generator=gen) * case.params.get("scale", 1.0)
    if case.params.get("zero_rows", 0.0):
        x.view(-1, n)[0::3] = 0.0
    w = 0.5 * torch.randn(n, generator=gen)
    w[::5] = -1.0
    return [x.to(case.dtype), w.to(case.dtype), case.params.get("eps", 1e-6)]


def reference(x, weight, eps):
    xd = x.to(torch.float64)
    rstd = torch.rsqrt((xd * xd).mean(dim=-1) + eps)
    y = xd * rstd[..., None] * (1.0 + weight.to(torch.float64))
    return y.to(x.dtype), rstd.to(torch.float32)


def baseline(x, weight, eps):
    """What a PyTorch user writes: Gemma's RMSNorm (float32 compute, (1 + w) scale)."""
    # float32 as in Gemma's own code: squares of 16-bit x overflow/lose precision.
    xf = x.float()
    rstd = torch.rsqrt(xf.pow(2).mean(dim=-1) + eps)
    y = xf * rstd[..., None] * (1.0 + weight.float())
    return y.to(x.dtype), rstd
