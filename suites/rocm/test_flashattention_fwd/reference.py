"""test_flashattention_fwd: scaled dot-product attention forward over (batch, heads,
seq, head_dim) tensors,
    out[b, h] = softmax(q[b, h] @ k[b, h]^T * sm_scale + mask) @ v[b, h],
where mask is 0, or with causal=1 -inf wherever the key index exceeds the query index.
Computed in float32 and returned in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    causal = bool(case.params.get("causal", 0))
    # params: std scales the normal draws of q and k. With std 3 the scaled scores have
    # a spread of ~9*sqrt(D)/sqrt(D) = 9, so rows are peaked and exp(score) without a
    # running max would overflow for D >= 64 (scores past 88).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, s, d, generator=gen).to(case.dtype)
    if case.params.get("bshd", 0):
        # (batch, seq, heads, dim) storage viewed as (batch, heads, seq, dim): the
        # layout most attention callers hold; strides are not contiguous.
        q, k, v = (t.transpose(1, 2).contiguous().transpose(1, 2) for t in (q, k, v))
    return [q, k, v, causal, 1.0 / math.sqrt(d)]


def reference(q, k, v, causal, sm_scale):
    qf, kf, vf = q.to(torch.float32), k.to(torch.float32), v.to(torch.float32)
    scores = torch.matmul(qf, kf.transpose(-1, -2)) * sm_scale
    if causal:
        s = q.shape[2]
        keep = torch.ones(s, s, dtype=torch.bool, device=q.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), vf).to(q.dtype)


def baseline(q, k, v, causal, sm_scale):
    """What a PyTorch user writes: F.scaled_dot_product_attention in q's dtype."""
    return F.scaled_dot_product_attention(q, k, v, is_causal=bool(causal), scale=sm_scale)
