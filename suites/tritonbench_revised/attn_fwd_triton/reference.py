"""attn_fwd_triton: multi-query attention forward. q is (B, H, S, D); k and v are
(B, 1, S, D), one key/value head shared by all H query heads:
    o[b, h] = softmax(q[b, h] @ k[b, 0]^T * sm_scale + mask) @ v[b, 0],
mask 0, or with causal=True -inf where the key index exceeds the query index; computed
in float32 and returned in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    causal = bool(case.params.get("causal", 0))
    # params: std scales q and k (std 3: scaled scores spread by ~9, peaked rows).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, 1, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, 1, s, d, generator=gen).to(case.dtype)
    return [q, k, v, causal, 1.0 / math.sqrt(d)]


def reference(q, k, v, causal, sm_scale):
    s = q.shape[2]
    # (B, 1, S, D) broadcasts over the H query heads.
    scores = torch.matmul(q.float(), k.float().transpose(-1, -2)) * sm_scale
    if causal:
        keep = torch.ones(s, s, dtype=torch.bool, device=q.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v.float()).to(q.dtype)


def baseline(q, k, v, causal, sm_scale):
    """What a PyTorch user writes: SDPA with enable_gqa (one shared kv head), inputs' dtype."""
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=sm_scale, enable_gqa=True)
