"""attention_kernel: non-causal scaled dot-product attention forward over contiguous
(B, H, S, D) tensors of float32, float16 or bfloat16,
    o[b, h] = softmax(q[b, h] @ k[b, h]^T * sm_scale) @ v[b, h],
returned in q's dtype. Computed in float64 for float32 inputs (so the reference's own
rounding is negligible against TF32), in float32 for 16-bit inputs."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    # params: std scales q and k (std 3: scaled scores spread by ~9, peaked rows whose
    # raw exp(score) would overflow float32).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, s, d, generator=gen).to(case.dtype)
    return [q, k, v, 1.0 / math.sqrt(d)]


def reference(q, k, v, sm_scale):
    acc = torch.float64 if q.dtype == torch.float32 else torch.float32
    out = torch.empty_like(q)
    # One batch entry at a time bounds the (H, S, S) score matrix's memory.
    for b in range(q.shape[0]):
        scores = torch.matmul(q[b].to(acc), k[b].to(acc).transpose(-1, -2)).mul_(sm_scale)
        out[b] = torch.matmul(torch.softmax(scores, dim=-1), v[b].to(acc)).to(q.dtype)
    return out


def baseline(q, k, v, sm_scale):
    """What a PyTorch user writes: F.scaled_dot_product_attention in the inputs' dtype."""
    return F.scaled_dot_product_attention(q, k, v, scale=sm_scale)
