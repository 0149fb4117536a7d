"""rmsnorm_fused_llama: LLaMA's RMSNorm over the last dim of x (M, N):
    rstd[i] = 1 / sqrt(mean_j x[i, j]^2 + eps)            (float32 or better)
    normed  = (x * rstd) rounded to x's dtype             (first rounding)
    out     = (weight * normed) rounded to x's dtype      (second rounding)
i.e. weight * (x.float() * rstd).to(x.dtype). rstd is computed in float64 here; the
product weight * normed of two x-dtype values is exact in float64 and rounded once."""

import torch

TINY_COLS = slice(3, None, 7)  # every 7th column, from column 3
SUBNORMAL = 2.0 ** -24         # float16's subnormal spacing


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    x = torch.randn(m, n, generator=gen)
    weight = 1.0 + 0.5 * torch.randn(n, generator=gen)
    eps = case.params.get("eps", 1e-6)
    # params: zero_rows=1 zeroes every third row (output exactly 0); eps defaults to 1e-6.
    # tiny=1 makes the TINY_COLS columns tiny in x and large in weight (500-2000): there
    # x * rstd is a float16 subnormal of a few significant bits and the output a normal
    # float16 (~1e-3), so rounding x * rstd first (as specified) changes the output by
    # 0.4-20% against one rounding of weight * x * rstd. Each tiny x is k * 2^-24 with
    # |k| <= 40, k chosen so that k * rstd lies 0.15-0.35 of a subnormal step from a
    # rounding midpoint and from a grid point: a float32 rstd a few ulps off (moving
    # k * rstd by ~1e-5 steps) can never flip that first rounding.
    if case.params.get("tiny", 0):
        x[:, TINY_COLS] = 0.0
        weight[TINY_COLS] = 500.0 + 1500.0 * torch.rand(weight[TINY_COLS].shape, generator=gen)
        xr = x.to(case.dtype).to(torch.float64)
        # The tiny values add ~1e-12 to mean squares of ~1: rstd moves by ~1e-12 only.
        rstd = torch.rsqrt(xr.square().mean(dim=-1, keepdim=True) + eps)
        cols = x[:, TINY_COLS].shape[1]
        tries = 16
        k = torch.randint(1, 41, (m, cols, tries), generator=gen).to(torch.float64)
        k = k * torch.where(torch.rand(m, cols, tries, generator=gen) < 0.5, -1.0, 1.0)
        frac = torch.frac((k * rstd[:, :, None]).abs())
        ok = ((frac - 0.25).abs() <= 0.1) | ((frac - 0.75).abs() <= 0.1)
        first = torch.where(ok, torch.arange(tries, 0, -1, dtype=torch.float64), 0.0).argmax(dim=-1)
        chosen = k.gather(-1, first[..., None])[..., 0]
        chosen = torch.where(ok.any(dim=-1), chosen, 0.0)  # none fit (~3e-4 chance): 0
        x[:, TINY_COLS] = (chosen * SUBNORMAL).to(torch.float32)
    if case.params.get("zero_rows", 0):
        x[0::3] = 0.0
    return [x.to(case.dtype), weight.to(case.dtype), eps]


def reference(x, weight, eps):
    xd = x.to(torch.float64)
    rstd = torch.rsqrt(xd.square().mean(dim=-1, keepdim=True) + eps)
    normed = (xd * rstd).to(x.dtype)
    return (weight.to(torch.float64) * normed.to(torch.float64)).to(x.dtype)


def baseline(x, weight, eps):
    """What a PyTorch user writes: LLaMA's RMSNorm (float32 statistics, weight applied in x's dtype)."""
    # Not F.rms_norm: that multiplies by weight before rounding, not after.
    xf = x.float()
    normed = xf * torch.rsqrt(xf.pow(2).mean(dim=-1, keepdim=True) + eps)
    return weight * normed.to(x.dtype)
