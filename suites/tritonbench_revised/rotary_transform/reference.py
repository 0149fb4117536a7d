"""rotary_transform: rotary position embedding (rotate-half) with linear position
scaling and a configurable base. For x (batch, seq, heads, head_dim), the token at
position p and frequency i in [0, head_dim / 2) use the angle
    a = (p / scale) * base ** (-2i / head_dim),
and halves x1, x2 of head_dim become (x1 * cos(a) - x2 * sin(a), x2 * cos(a) + x1 * sin(a)).
Computed here in float64, angles included."""

import torch


def make_inputs(case, gen):
    b, s, h, d = case.dims["B"], case.dims["S"], case.dims["H"], case.dims["D"]
    base = float(case.params.get("base", 10000.0))
    scale = float(case.params.get("scale", 1.0))
    x = torch.randn(b, s, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    return [x, base, scale]


def reference(x, base, scale):
    d = x.shape[-1]
    i = torch.arange(0, d // 2, dtype=torch.float64, device=x.device)
    t = torch.arange(x.shape[1], dtype=torch.float64, device=x.device) / scale
    angle = t[:, None] * (base ** (-2.0 * i / d))[None, :]  # (seq, d/2)
    c, s = angle.cos()[None, :, None, :], angle.sin()[None, :, None, :]
    half = d // 2
    xf = x.to(torch.float64)
    x1, x2 = xf[..., :half], xf[..., half:]
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1).to(x.dtype)


def baseline(x, base, scale):
    """What a PyTorch user writes: rotate-half rotary with float32 angles (linear position scaling)."""
    d = x.shape[-1]
    half = d // 2
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float32, device=x.device) / d))
    t = torch.arange(x.shape[1], dtype=torch.float32, device=x.device) / scale
    angle = torch.outer(t, inv_freq)  # (seq, d/2)
    c, s = angle.cos()[None, :, None, :], angle.sin()[None, :, None, :]
    x1, x2 = x[..., :half], x[..., half:]  # float32 tables promote the math to float32
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1).to(x.dtype)
