"""rbe_triton_transform: rotary position embedding (interleaved pairs, base 10000) on a
projection x of shape (batch, seq, heads * head_dim), head h occupying channels
[h * head_dim, (h + 1) * head_dim). Token s of every batch row sits at position
start_pos + s; pair (2i, 2i+1) of each head is rotated by
a = (start_pos + s) * 10000 ** (-2i / head_dim):
    out[2i]     = x[2i] * cos(a) - x[2i + 1] * sin(a)
    out[2i + 1] = x[2i + 1] * cos(a) + x[2i] * sin(a)
Computed here in float64, angles included."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, h, d = case.dims["B"], case.dims["S"], case.dims["H"], case.dims["D"]
    start_pos = int(case.params.get("start_pos", 0))
    x = torch.randn(b, s, h * d, generator=gen, dtype=torch.float32).to(case.dtype)
    return [x, h, start_pos]


def reference(x, n_heads, start_pos):
    b, s, width = x.shape
    d = width // n_heads
    i = torch.arange(0, d // 2, dtype=torch.float64, device=x.device)
    pos = start_pos + torch.arange(s, dtype=torch.float64, device=x.device)
    angle = pos[:, None] * (THETA ** (-2.0 * i / d))[None, :]  # (seq, d/2)
    c, sn = angle.cos()[None, :, None, :], angle.sin()[None, :, None, :]
    xf = x.to(torch.float64).reshape(b, s, n_heads, d)
    x_even, x_odd = xf[..., 0::2], xf[..., 1::2]
    out = torch.stack([x_even * c - x_odd * sn, x_odd * c + x_even * sn], dim=-1)
    return out.reshape(x.shape).to(x.dtype)


def baseline(x, n_heads, start_pos):
    """What a PyTorch user writes: LLaMA-style interleaved rotary with float32 angles and math."""
    b, s, width = x.shape
    d = width // n_heads
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32, device=x.device) / d))
    pos = torch.arange(start_pos, start_pos + s, dtype=torch.float32, device=x.device)
    angle = torch.outer(pos, inv_freq)  # (seq, d/2)
    c, sn = angle.cos()[:, None, :], angle.sin()[:, None, :]  # broadcast over heads
    # The float32 cos/sin promote the rotation to float32 (as specified).
    xp = x.view(b, s, n_heads, d // 2, 2)
    x_even, x_odd = xp[..., 0], xp[..., 1]
    out = torch.stack([x_even * c - x_odd * sn, x_odd * c + x_even * sn], dim=-1)
    return out.view(x.shape).to(x.dtype)
