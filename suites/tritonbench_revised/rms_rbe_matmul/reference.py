"""rms_rbe_matmul: out = RoPE_half(RMSNorm(x) @ W), the rotate-half (NeoX) convention
with precomputed tables.

x (M, D) float16/bfloat16; rms_weight (D,) and w (D, N) of x's dtype, N = heads *
head_dim; cos, sin (S, head_dim / 2) float32 tables; eps a float. Token m has position
m % S.
    h = x / sqrt(mean_d(x^2) + eps) * rms_weight;   y = h @ w      (float32)
Within every head (columns h0 .. h0 + head_dim - 1), column h0 + i pairs with column
h0 + i + head_dim / 2 (0 <= i < head_dim / 2); with y1, y2 that pair, c = cos[p, i],
s = sin[p, i], p = m % S:
    out[m, h0 + i]                = y1 * c - y2 * s
    out[m, h0 + i + head_dim / 2] = y2 * c + y1 * s
Returned in x's dtype."""

import math

import torch
import torch.nn.functional as F

THETA = 10000.0


def make_inputs(case, gen):
    m, d = case.dims["M"], case.dims["D"]
    heads, head_dim, seq = case.dims["H"], case.dims["HD"], case.dims["S"]
    n = heads * head_dim
    # params: scale multiplies x (1e-3 puts mean squares near eps); eps defaults to 1e-6.
    x = torch.randn(m, d, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    # Norm weights near 1 (as trained); w scaled by 1/sqrt(D) so y ~ N(0, 1).
    g = 1.0 + 0.1 * torch.randn(d, generator=gen, dtype=torch.float32)
    w = torch.randn(d, n, generator=gen, dtype=torch.float32) / math.sqrt(d)
    # The usual tables: theta^(-2i / head_dim) at positions 0 .. S-1, from float64.
    inv_freq = THETA ** (-torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angle = torch.outer(torch.arange(seq, dtype=torch.float64), inv_freq)
    eps = case.params.get("eps", 1e-6)
    return [x.to(case.dtype), g.to(case.dtype), w.to(case.dtype),
            angle.cos().to(torch.float32), angle.sin().to(torch.float32), eps]


def reference(x, rms_weight, w, cos, sin, eps):
    m = x.shape[0]
    n = w.shape[1]
    seq, half = cos.shape
    xf = x.to(torch.float32)
    rstd = torch.rsqrt(xf.square().mean(dim=-1, keepdim=True) + eps)
    y = ((xf * rstd * rms_weight.to(torch.float32)) @ w.to(torch.float32)).view(m, n // (2 * half), 2, half)
    pos = torch.arange(m, device=x.device) % seq
    c = cos[pos][:, None, :]  # broadcast over heads
    s = sin[pos][:, None, :]
    y1, y2 = y[:, :, 0], y[:, :, 1]
    out = torch.stack([y1 * c - y2 * s, y2 * c + y1 * s], dim=2)
    return out.reshape(m, n).to(x.dtype)


def baseline(x, rms_weight, w, cos, sin, eps):
    """What a PyTorch user writes: F.rms_norm, a matmul in x's dtype, then rotate-half rotary with the float32 tables."""
    m, n = x.shape[0], w.shape[1]
    seq, half = cos.shape
    y = (F.rms_norm(x, (x.shape[-1],), rms_weight, eps) @ w).view(m, n // (2 * half), 2, half)
    pos = torch.arange(m, device=x.device) % seq
    c, s = cos[pos][:, None, :], sin[pos][:, None, :]  # broadcast over heads
    y1, y2 = y[:, :, 0], y[:, :, 1]  # the float32 tables promote the rotation to float32
    return torch.stack([y1 * c - y2 * s, y2 * c + y1 * s], dim=2).view(m, n).to(x.dtype)
