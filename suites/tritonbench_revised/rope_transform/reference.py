"""rope_transform: partial rotary position embedding. For x (batch, seq, heads,
head_dim) and cos, sin of shape (seq, rotary_dim // 2) with rotary_dim < head_dim, the
first rotary_dim channels of each head, split into halves x1 = x[..., :rotary_dim // 2]
and x2 = x[..., rotary_dim // 2 : rotary_dim], become
    x1 * cos - x2 * sin,  x2 * cos + x1 * sin
and channels [rotary_dim, head_dim) are copied unchanged. Computed in float32 and
returned in x's dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, h, d, r = (case.dims[n] for n in ("B", "S", "H", "D", "R"))
    x = torch.randn(b, s, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    # Frequencies over the rotary channels only: theta^(-2i/rotary_dim), positions 0 .. s-1.
    inv_freq = 1.0 / (THETA ** (torch.arange(0, r, 2, dtype=torch.float32) / r))
    angles = torch.outer(torch.arange(s, dtype=torch.float32), inv_freq)
    return [x, angles.cos(), angles.sin()]


def reference(x, cos, sin):
    half = cos.shape[1]
    xf = x.to(torch.float32)
    x1, x2, rest = xf[..., :half], xf[..., half:2 * half], xf[..., 2 * half:]
    c, s = cos[None, :, None, :], sin[None, :, None, :]  # broadcast over batch and heads
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s, rest], dim=-1).to(x.dtype)


# The reference is already what a PyTorch user writes.
baseline = reference
