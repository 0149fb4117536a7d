"""attention_llama: causal self-attention of a Llama prefill with grouped-query attention.
q is (B, S, Hq, D) and k, v are (B, S, Hkv, D), all contiguous in that (batch, seq,
head, dim) order; query head h reads kv head h // (Hq // Hkv):
    out[b, i, h] = sum_{j <= i} softmax_j(q[b, i, h] . k[b, j, h // g] * sm_scale) v[b, j, h // g]
Computed in float32, returned as a new (B, S, Hq, D) tensor in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, s, d = case.dims["B"], case.dims["S"], case.dims["D"]
    hq, hkv = case.dims["HQ"], case.dims["HKV"]
    # params: std scales q and k. std 3 gives scaled scores of spread ~9, so softmax rows
    # are peaked and exp() of a raw score would overflow float32 without a running max.
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, s, hq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, s, hkv, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, s, hkv, d, generator=gen).to(case.dtype)
    return [q, k, v, 1.0 / math.sqrt(d)]


def reference(q, k, v, sm_scale):
    s, hq = q.shape[1], q.shape[2]
    group = hq // k.shape[2]
    # (B, H, S, D) float32 views; kv heads repeated so that head h sees kv head h // group.
    qf = q.transpose(1, 2).to(torch.float32)
    kf = k.transpose(1, 2).to(torch.float32).repeat_interleave(group, dim=1)
    vf = v.transpose(1, 2).to(torch.float32).repeat_interleave(group, dim=1)
    scores = torch.matmul(qf, kf.transpose(-1, -2)) * sm_scale
    future = torch.ones(s, s, dtype=torch.bool, device=q.device).triu(1)
    scores = scores.masked_fill(future, float("-inf"))
    out = torch.matmul(torch.softmax(scores, dim=-1), vf)
    return out.transpose(1, 2).contiguous().to(q.dtype)


def baseline(q, k, v, sm_scale):
    """What a PyTorch user writes: causal SDPA with enable_gqa on (B, H, S, D) views."""
    o = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                       is_causal=True, scale=sm_scale, enable_gqa=True)
    return o.transpose(1, 2).contiguous()
