"""triton_attention: non-causal attention with an additive float mask shared by all heads:
    out[b, h] = softmax(q[b, h] @ k[b, h]^T * sm_scale + mask[b, 0]) @ v[b, h]
q (B, H, Sq, D), k, v (B, H, Sk, D), mask (B, 1, Sq, Sk) in q's dtype holding finite
biases and, at masked positions, -inf or a large negative value; every query row keeps
at least one key with a finite, non-large-negative entry. Float32 inside, q's dtype out."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, d = case.dims["B"], case.dims["H"], case.dims["D"]
    sq, sk = case.dims["SQ"], case.dims["SK"]
    # params: std scales q and k; bias the std of the finite mask entries (a learned
    # relative-position bias, say); drop the fraction of keys masked at random per
    # (row, key); leftpad = 1 masks keys j < pad[b] for a random pad[b] in [0, Sk) (a
    # left-padded batch: whole leading key tiles masked for every row); neg the value of
    # a masked entry, -inf unless given (e.g. -10000).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, sq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, sk, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, sk, d, generator=gen).to(case.dtype)
    bias = torch.randn(b, 1, sq, sk, generator=gen) * case.params.get("bias", 1.0)
    keep = torch.rand(b, 1, sq, sk, generator=gen) >= case.params.get("drop", 0.3)
    if case.params.get("leftpad", 0):
        pad = torch.randint(0, sk, (b,), generator=gen)
    else:
        pad = torch.zeros(b, dtype=torch.int64)
    cols = torch.arange(sk)
    keep &= cols[None, None, None, :] >= pad[:, None, None, None]
    # One key per row in [pad[b], Sk) is always kept.
    span = (sk - pad).to(torch.float32)[:, None, None]
    j0 = pad[:, None, None] + (torch.rand(b, 1, sq, generator=gen) * span).long().clamp(max=sk - 1)
    keep.scatter_(3, j0[..., None], True)
    neg = case.params.get("neg", float("-inf"))
    mask = torch.where(keep, bias, torch.full_like(bias, neg)).to(case.dtype)
    return [q, k, v, mask, 1.0 / math.sqrt(d)]


def reference(q, k, v, mask, sm_scale):
    qf, kf, vf = q.to(torch.float32), k.to(torch.float32), v.to(torch.float32)
    scores = torch.matmul(qf, kf.transpose(-1, -2)) * sm_scale + mask.to(torch.float32)
    return torch.matmul(torch.softmax(scores, dim=-1), vf).to(q.dtype)


def baseline(q, k, v, mask, sm_scale):
    """What a PyTorch user writes: SDPA with the additive mask and scale=."""
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=sm_scale)
