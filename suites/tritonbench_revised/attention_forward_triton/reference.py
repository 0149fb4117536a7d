"""attention_forward_triton: non-causal scaled dot-product attention forward over
contiguous (B, H, S, D) tensors,
    o[b, h] = softmax(q[b, h] @ k[b, h]^T * sm_scale) @ v[b, h],
the softmax over all S keys, computed in float32 and returned in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    # params: std scales q and k. With std 3 the scaled scores spread by ~9, so rows are
    # peaked (a few keys carry most of the weight) and exp(score) without a running
    # max would overflow float32 for D >= 64.
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, s, d, generator=gen).to(case.dtype)
    return [q, k, v, 1.0 / math.sqrt(d)]


def reference(q, k, v, sm_scale):
    qf, kf, vf = q.float(), k.float(), v.float()
    scores = torch.matmul(qf, kf.transpose(-1, -2)) * sm_scale
    return torch.matmul(torch.softmax(scores, dim=-1), vf).to(q.dtype)


def baseline(q, k, v, sm_scale):
    """What a PyTorch user writes: F.scaled_dot_product_attention in the inputs' dtype."""
    return F.scaled_dot_product_attention(q, k, v, scale=sm_scale)
