"""mixed_sparse_attention: causal attention whose keys per query are the union of a local
sliding window and a per-head set of "vertical" (global) key columns:
    query i of (b, h) attends key j  iff  j <= i  and  (i - window < j  or  j in v_idx[b, h])
q, k, v (B, H, S, D); v_idx (B, H, NV) int32, sorted ascending and distinct, in [0, S);
window >= 1 (so key i is always attended). Float32 inside, q's dtype out."""

import math

import torch
import torch.nn.functional as F


def vertical_columns(b, h, s, nv):
    """The fixed columns of the performance cases: every (S // NV)-th key, offset per
    (batch, head)."""
    step = s // nv
    off = (7 * torch.arange(h)[None, :] + 3 * torch.arange(b)[:, None]) % step
    return torch.arange(nv)[None, None, :] * step + off[:, :, None]


def make_inputs(case, gen):
    b, h, s, d, nv = (case.dims[x] for x in ("B", "H", "S", "D", "NV"))
    window = int(case.params["window"])
    # params: window; even = 1 takes the fixed columns above, otherwise each (b, h) draws
    # NV distinct columns uniformly (sink = 1 forces column 0 in); std scales q and k.
    if case.params.get("even", 0):
        v_idx = vertical_columns(b, h, s, nv)
    else:
        v_idx = torch.argsort(torch.rand(b, h, s, generator=gen), dim=-1)[..., :nv]
        if case.params.get("sink", 0) and nv > 0:
            has0 = (v_idx == 0).any(-1, keepdim=True)
            v_idx[..., :1] = torch.where(has0, v_idx[..., :1], torch.zeros_like(v_idx[..., :1]))
        v_idx = v_idx.sort(dim=-1).values
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, s, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, s, d, generator=gen).to(case.dtype)
    return [q, k, v, v_idx.to(torch.int32).contiguous(), window, 1.0 / math.sqrt(d)]


def reference(q, k, v, v_idx, window, sm_scale):
    b, h, s, _ = q.shape
    dev = q.device
    i = torch.arange(s, device=dev)[:, None]
    j = torch.arange(s, device=dev)[None, :]
    causal = j <= i
    local = causal & (i - j < window)                                   # (S, S)
    vert = torch.zeros(b, h, s, dtype=torch.bool, device=dev)
    vert.scatter_(2, v_idx.to(torch.int64), True)                       # (B, H, S)
    allowed = local[None, None] | (causal[None, None] & vert[:, :, None, :])
    qf, kf, vf = q.to(torch.float32), k.to(torch.float32), v.to(torch.float32)
    scores = torch.matmul(qf, kf.transpose(-1, -2)) * sm_scale
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), vf).to(q.dtype)


def baseline(q, k, v, v_idx, window, sm_scale):
    """What a PyTorch user writes: a boolean (B, H, S, S) mask for F.scaled_dot_product_attention."""
    b, h, s, _ = q.shape
    pos = torch.arange(s, device=q.device)
    causal = pos[None, :] <= pos[:, None]
    local = causal & (pos[:, None] - pos[None, :] < window)
    vert = torch.zeros(b, h, s, dtype=torch.bool, device=q.device).scatter_(2, v_idx.long(), True)
    mask = local | (causal & vert[:, :, None, :])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=sm_scale)
