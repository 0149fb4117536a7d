"""rotary_emb: rotary position embedding on the (batch, heads, seq, head_dim) layout
with full-width tables cos, sin of shape (seq, head_dim), as in
    out = x * cos + rotate_half(x) * sin,  rotate_half(x) = cat(-x2, x1)
(x1, x2 the halves of head_dim), elementwise, cos/sin broadcast over batch and heads.
Computed in float32 and returned in x's dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    x = torch.randn(b, h, s, d, generator=gen, dtype=torch.float32).to(case.dtype)
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    pos = torch.arange(s, dtype=torch.float32)
    # The usual table repeats the d/2 frequencies in both halves. params distinct = 1
    # gives the second half other angles (positions scaled by 0.5), so only a kernel
    # that reads the full-width tables passes.
    second = pos * 0.5 if case.params.get("distinct", 0) else pos
    angles = torch.cat([torch.outer(pos, inv_freq), torch.outer(second, inv_freq)], dim=1)
    return [x, angles.cos(), angles.sin()]


def reference(x, cos, sin):
    half = x.shape[-1] // 2
    xf = x.to(torch.float32)
    rot = torch.cat([-xf[..., half:], xf[..., :half]], dim=-1)
    return (xf * cos[None, None] + rot * sin[None, None]).to(x.dtype)


# The reference is already what a PyTorch user writes.
baseline = reference
