"""fast_rope_embedding: rotary position embedding (rotate-half convention) applied to
the query and key of grouped-query attention. q (batch, seq, hq, head_dim) and
k (batch, seq, hkv, head_dim), hkv < hq, share the float32 tables cos, sin of shape
(seq, head_dim // 2). For t in (q, k), split along head_dim into halves x1, x2:
    out1 = x1 * cos - x2 * sin
    out2 = x2 * cos + x1 * sin
Returns (q_out, k_out) of q's and k's shapes and dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, hq, hkv, d = (case.dims[n] for n in ("B", "S", "HQ", "HKV", "D"))
    q = torch.randn(b, s, hq, d, generator=gen, dtype=torch.float32).to(case.dtype)
    k = torch.randn(b, s, hkv, d, generator=gen, dtype=torch.float32).to(case.dtype)
    # The usual rotary frequencies theta^(-2i/d) at positions 0 .. s-1.
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.outer(torch.arange(s, dtype=torch.float32), inv_freq)
    return [q, k, angles.cos(), angles.sin()]


def _rotate(x, cos, sin):
    half = x.shape[-1] // 2
    xf = x.to(torch.float32)
    x1, x2 = xf[..., :half], xf[..., half:]
    c, s = cos[None, :, None, :], sin[None, :, None, :]  # broadcast over batch and heads
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1).to(x.dtype)


def reference(q, k, cos, sin):
    return _rotate(q, cos, sin), _rotate(k, cos, sin)


# The reference is already what a PyTorch user writes.
baseline = reference
