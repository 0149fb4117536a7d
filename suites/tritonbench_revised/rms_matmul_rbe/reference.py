"""rms_matmul_rbe: fused LLaMA q/k projection, out = RoPE(RMSNorm(x) @ W).

x (M, D) float16 holds M tokens; rms_weight (D,) float16; w (D, N) float16 with
N = heads * head_dim; positions (M,) int64; head_dim an even int; eps a float.
    h[m, :]   = x[m, :] / sqrt(mean_d(x[m, d]^2) + eps) * rms_weight
    y         = h @ w                                    (float32)
Rotary embedding, INTERLEAVED pairs: within every head, columns (2i, 2i + 1) form
pair i (0 <= i < head_dim / 2), rotated by angle positions[m] * inv_freq[i] with
inv_freq[i] = 10000^(-2i / head_dim):
    out[m, 2i]     = y[m, 2i] * cos - y[m, 2i + 1] * sin
    out[m, 2i + 1] = y[m, 2i] * sin + y[m, 2i + 1] * cos
(column indices relative to the head's first column). Returned as float16."""

import math

import torch
import torch.nn.functional as F

THETA = 10000.0


def make_inputs(case, gen):
    m, d = case.dims["M"], case.dims["D"]
    heads, head_dim = case.dims["H"], case.dims["HD"]
    n = heads * head_dim
    # params: scale multiplies x (RMSNorm makes the output independent of it; 1e-3 puts
    # mean squares near eps); eps defaults to 1e-5; max_pos bounds the positions.
    x = torch.randn(m, d, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    # Norm weights near 1, as trained LLaMA weights are; w scaled by 1/sqrt(D) so y ~ N(0, 1).
    g = 1.0 + 0.1 * torch.randn(d, generator=gen, dtype=torch.float32)
    w = torch.randn(d, n, generator=gen, dtype=torch.float32) / math.sqrt(d)
    max_pos = int(case.params.get("max_pos", 2048))
    positions = torch.randint(0, max_pos, (m,), generator=gen, dtype=torch.int64)
    eps = case.params.get("eps", 1e-5)
    return [x.to(case.dtype), g.to(case.dtype), w.to(case.dtype), positions, head_dim, eps]


def reference(x, rms_weight, w, positions, head_dim, eps):
    m = x.shape[0]
    n = w.shape[1]
    xf = x.to(torch.float32)
    rstd = torch.rsqrt(xf.square().mean(dim=-1, keepdim=True) + eps)
    y = (xf * rstd * rms_weight.to(torch.float32)) @ w.to(torch.float32)
    # The angles in float64 from the exact frequencies: the truth a float32 kernel
    # approximates (see the tolerance comment in task.textproto).
    inv_freq = THETA ** (-torch.arange(0, head_dim, 2, dtype=torch.float64, device=x.device) / head_dim)
    angle = positions.to(torch.float64)[:, None] * inv_freq[None, :]  # (M, head_dim/2)
    cos = angle.cos().to(torch.float32)[:, None, :]  # broadcast over heads
    sin = angle.sin().to(torch.float32)[:, None, :]
    y = y.view(m, n // head_dim, head_dim // 2, 2)
    y0, y1 = y[..., 0], y[..., 1]
    out = torch.stack([y0 * cos - y1 * sin, y0 * sin + y1 * cos], dim=-1)
    return out.reshape(m, n).to(x.dtype)


def baseline(x, rms_weight, w, positions, head_dim, eps):
    """What a PyTorch user writes: F.rms_norm, an fp16 matmul, then LLaMA-style interleaved rotary in float32."""
    m, n = x.shape[0], w.shape[1]
    y = F.rms_norm(x, (x.shape[-1],), rms_weight, eps) @ w
    inv_freq = 1.0 / (THETA ** (torch.arange(0, head_dim, 2, dtype=torch.float32, device=x.device) / head_dim))
    angle = positions.float()[:, None] * inv_freq[None, :]  # (M, head_dim/2)
    cos, sin = angle.cos()[:, None, :], angle.sin()[:, None, :]  # broadcast over heads
    # The float32 cos/sin promote the rotation to float32, as LLaMA's apply_rotary_emb
    # computes it (xq.float()).
    y = y.view(m, n // head_dim, head_dim // 2, 2)
    y0, y1 = y[..., 0], y[..., 1]
    out = torch.stack([y0 * cos - y1 * sin, y0 * sin + y1 * cos], dim=-1)
    return out.view(m, n).to(x.dtype)
