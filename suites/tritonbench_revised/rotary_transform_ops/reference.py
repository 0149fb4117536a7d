"""rotary_transform_ops: rotary position embedding (interleaved pairs) of the q and k
parts of a fused projection qkv (batch, seq, 3, heads, head_dim): q = qkv[:, :, 0] and
k = qkv[:, :, 1] (strided views; v = qkv[:, :, 2] is not used). With cos, sin of shape
(seq, head_dim // 2), pair (2i, 2i+1) at position p becomes
    (x[2i] * cos[p, i] - x[2i + 1] * sin[p, i], x[2i + 1] * cos[p, i] + x[2i] * sin[p, i]).
Returns new contiguous (q_out, k_out) of shape (batch, seq, heads, head_dim), computed
in float32 and rounded to qkv's dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    b, s, h, d = case.dims["B"], case.dims["S"], case.dims["H"], case.dims["D"]
    qkv = torch.randn(b, s, 3, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.outer(torch.arange(s, dtype=torch.float32), inv_freq)
    return [qkv, angles.cos(), angles.sin()]


def _rotate(x, cos, sin):
    xf = x.to(torch.float32)
    x_even, x_odd = xf[..., 0::2], xf[..., 1::2]
    c, s = cos[None, :, None, :], sin[None, :, None, :]  # broadcast over batch and heads
    out = torch.stack([x_even * c - x_odd * s, x_odd * c + x_even * s], dim=-1)
    return out.reshape(x.shape).to(x.dtype).contiguous()


def reference(qkv, cos, sin):
    return _rotate(qkv[:, :, 0], cos, sin), _rotate(qkv[:, :, 1], cos, sin)


# The reference is already what a PyTorch user writes.
baseline = reference
