"""rope_embedding: rotary position embedding, "rotate half" convention. For q of shape
(batch, seq, heads, head_dim) split along head_dim into halves x1 and x2, and cos, sin of
shape (seq, head_dim // 2) indexed by position:
    out1 = x1 * cos - x2 * sin
    out2 = x2 * cos + x1 * sin
out = concat(out1, out2), of q's shape and dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, h, d = case.dims["B"], case.dims["S"], case.dims["H"], case.dims["D"]
    q = torch.randn(b, s, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    # The usual rotary frequencies theta^(-2i/d), at positions 0 .. s-1.
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.outer(torch.arange(s, dtype=torch.float32), inv_freq)
    return [q, angles.cos(), angles.sin()]


def reference(q, cos, sin):
    half = q.shape[-1] // 2
    x = q.to(torch.float32)
    x1, x2 = x[..., :half], x[..., half:]
    c, s = cos[None, :, None, :], sin[None, :, None, :]  # broadcast over batch and heads
    out = torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1)
    return out.to(q.dtype)


# The reference is already what a PyTorch user writes.
baseline = reference
