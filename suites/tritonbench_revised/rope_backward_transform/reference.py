"""rope_backward_transform: backward pass of rotary position embedding (rotate-half
convention). The forward maps x (batch, seq, heads, head_dim), split into halves x1, x2,
to (x1 * cos - x2 * sin, x2 * cos + x1 * sin) with cos, sin of shape (seq, head_dim // 2).
Given the output gradient dy = (dy1, dy2), the input gradient is its transpose, the
rotation by -angle:
    dx1 = dy1 * cos + dy2 * sin
    dx2 = dy2 * cos - dy1 * sin
Computed here in float32 and returned in dy's dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, h, d = case.dims["B"], case.dims["S"], case.dims["H"], case.dims["D"]
    dy = torch.randn(b, s, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    # The usual rotary frequencies theta^(-2i/d), at positions 0 .. s-1.
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.outer(torch.arange(s, dtype=torch.float32), inv_freq)
    return [dy, angles.cos(), angles.sin()]


def reference(dy, cos, sin):
    half = dy.shape[-1] // 2
    g = dy.to(torch.float32)
    g1, g2 = g[..., :half], g[..., half:]
    c, s = cos[None, :, None, :], sin[None, :, None, :]  # broadcast over batch and heads
    return torch.cat([g1 * c + g2 * s, g2 * c - g1 * s], dim=-1).to(dy.dtype)


# The reference is already what a PyTorch user writes.
baseline = reference
