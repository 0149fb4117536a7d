"""fused_rotary_embedding: rotary position embedding with the interleaved-pair
convention on packed tokens. For q (tokens, heads, head_dim), int64 positions (tokens,)
and base theta, channel pair (2i, 2i+1) of token t is rotated by the angle
    a = positions[t] * theta ** (-2i / head_dim):
    out[..., 2i]     = q[..., 2i] * cos(a) - q[..., 2i + 1] * sin(a)
    out[..., 2i + 1] = q[..., 2i + 1] * cos(a) + q[..., 2i] * sin(a)
The same angles apply to every head. Computed here in float64 (angles included)."""

import torch


def make_inputs(case, gen):
    t, h, d = case.dims["T"], case.dims["H"], case.dims["D"]
    # params: max_pos bounds the positions (a packed batch of decode / prefill tokens,
    # in no particular order); theta is the rotary base (10000 unless given).
    max_pos = int(case.params.get("max_pos", 4096))
    theta = float(case.params.get("theta", 10000.0))
    q = torch.randn(t, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    positions = torch.randint(0, max_pos, (t,), generator=gen, dtype=torch.int64)
    positions[0] = 0  # position 0: the identity rotation
    positions[-1] = max_pos - 1  # the largest angle of the case
    return [q, positions, theta]


def reference(q, positions, theta):
    d = q.shape[-1]
    i = torch.arange(0, d // 2, dtype=torch.float64, device=q.device)
    inv_freq = theta ** (-2.0 * i / d)
    angle = positions.to(torch.float64)[:, None] * inv_freq[None, :]  # (tokens, d/2)
    c, s = angle.cos()[:, None, :], angle.sin()[:, None, :]  # broadcast over heads
    x = q.to(torch.float64)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x_even * c - x_odd * s, x_odd * c + x_even * s], dim=-1)
    return out.reshape(q.shape).to(q.dtype)


def baseline(q, positions, theta):
    """What a PyTorch user writes: float32 angles, cos/sin, rotate the (even, odd) pairs."""
    d = q.shape[-1]
    # float32 as the task asks (angles up to ~4096 rad, and a 16-bit x * cos would round twice).
    inv_freq = theta ** (-2.0 * torch.arange(0, d // 2, dtype=torch.float32, device=q.device) / d)
    angle = positions.float()[:, None] * inv_freq
    c, s = angle.cos()[:, None, :], angle.sin()[:, None, :]  # broadcast over heads
    x = q.float()
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x_even * c - x_odd * s, x_odd * c + x_even * s], dim=-1)
    return out.flatten(-2).to(q.dtype)
