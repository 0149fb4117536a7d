"""attention_fwd_triton1: causal scaled dot-product attention forward that also returns
the per-row logsumexp saved for a backward pass. For contiguous (B, H, S, D) q, k, v:
    s[b, h, i, j] = q[b, h, i] . k[b, h, j] * sm_scale   for j <= i, -inf for j > i
    o   = softmax(s, over j) @ v                          (q's dtype)
    lse = log(sum_j exp(s[b, h, i, j]))                   (float32, (B, H, S))
computed in float32."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    # params: std scales q and k; std 3 gives scaled scores spread by ~9: peaked rows,
    # and a logsumexp dominated by the largest score.
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, s, d, generator=gen).to(case.dtype)
    return [q, k, v, 1.0 / math.sqrt(d)]


def reference(q, k, v, sm_scale):
    s = q.shape[2]
    scores = torch.matmul(q.float(), k.float().transpose(-1, -2)) * sm_scale
    keep = torch.ones(s, s, dtype=torch.bool, device=q.device).tril()
    scores = scores.masked_fill(~keep, float("-inf"))
    lse = torch.logsumexp(scores, dim=-1)
    o = torch.matmul(torch.exp(scores - lse[..., None]), v.float())
    return o.to(q.dtype), lse


def baseline(q, k, v, sm_scale):
    """What a PyTorch user writes: causal SDPA for o, and the logsumexp from explicit scores."""
    o = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=sm_scale)
    # SDPA does not return the logsumexp, so it comes from the score matrix; in float32,
    # since lse is a float32 output checked to ~1e-5 (16-bit scores are off by ~1e-3).
    s = q.shape[2]
    scores = torch.matmul(q.float() * sm_scale, k.float().transpose(-1, -2))
    future = torch.ones(s, s, dtype=torch.bool, device=q.device).triu(1)
    lse = torch.logsumexp(scores.masked_fill_(future, float("-inf")), dim=-1)
    return o, lse
