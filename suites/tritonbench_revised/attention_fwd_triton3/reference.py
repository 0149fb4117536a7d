"""attention_fwd_triton3: causal attention for chunked prefill with a cached prefix.
q is (B, H, Sq, D) (the chunk's new tokens), k and v are (B, H, Sk, D) (the prefix of
Sk - Sq cached tokens followed by the chunk), Sq <= Sk. Query i sits at absolute
position Sk - Sq + i and attends keys j <= Sk - Sq + i (the causal mask aligned to the
bottom-right corner):
    o[b, h, i] = softmax_j(q[b, h, i] . k[b, h, j] * sm_scale) @ v[b, h, j],
computed in float32 and returned in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, d = case.dims["B"], case.dims["H"], case.dims["D"]
    sq, sk = case.dims["SQ"], case.dims["SK"]
    if sq > sk:
        raise ValueError("SQ must not exceed SK")
    # params: std scales q and k (std 3: peaked rows).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, sq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, sk, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, sk, d, generator=gen).to(case.dtype)
    return [q, k, v, 1.0 / math.sqrt(d)]


def reference(q, k, v, sm_scale):
    sq, sk = q.shape[2], k.shape[2]
    scores = torch.matmul(q.float(), k.float().transpose(-1, -2)) * sm_scale
    pos = torch.arange(sq, device=q.device)[:, None] + (sk - sq)
    hidden = torch.arange(sk, device=q.device)[None, :] > pos          # (Sq, Sk)
    scores = scores.masked_fill(hidden, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v.float()).to(q.dtype)


def baseline(q, k, v, sm_scale):
    """What a PyTorch user writes: SDPA with a bottom-right-aligned causal boolean mask."""
    sq, sk = q.shape[2], k.shape[2]
    keep = torch.ones(sq, sk, dtype=torch.bool, device=q.device).tril(sk - sq)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, scale=sm_scale)
