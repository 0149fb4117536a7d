"""context_attn_llama: causal prefill attention with grouped-query attention (Llama 2/3
style) over a packed variable-length batch. q is (N, Hq, D), k and v (N, Hkv, D), the
tokens of B requests back to back; request b is rows b_start_loc[b] ..
b_start_loc[b] + b_seq_len[b] - 1. Query head h reads kv head h // (Hq // Hkv). For
token i of a request,
    out[i, h] = softmax_j(q[i, h] . k[j, h // G] * sm_scale) @ v[j, h // G],  0 <= j <= i,
over the same request's tokens only; float32 softmax, result in q's dtype."""

import math

import torch
import torch.nn.functional as F


def draw_lengths(b, lmax, params, gen):
    """Request lengths in [1, lmax]. params: equal = 1 gives every request lmax tokens,
    stair = 1 gives request i (i + 1) * lmax // b tokens (deterministic, for the
    performance cases' flop counts); otherwise random, one request exactly lmax long and
    (for b > 1) one of a single token."""
    if params.get("equal", 0):
        return torch.full((b,), lmax, dtype=torch.int64)
    if params.get("stair", 0):
        return torch.tensor([max(1, (i + 1) * lmax // b) for i in range(b)], dtype=torch.int64)
    lens = torch.randint(1, lmax + 1, (b,), generator=gen)
    pick = torch.randperm(b, generator=gen)
    lens[pick[0]] = lmax
    if b > 1:
        lens[pick[1]] = 1
    return lens


def make_inputs(case, gen):
    b, lmax, d = case.dims["B"], case.dims["L"], case.dims["D"]
    hq, hkv = case.dims["HQ"], case.dims["HKV"]
    assert hq % hkv == 0
    lens = draw_lengths(b, lmax, case.params, gen)
    n = int(lens.sum())
    # params: std scales q and k; std 3 gives peaked softmax rows (scores spread ~9).
    std = case.params.get("std", 1.0)
    q = (torch.randn(n, hq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(n, hkv, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(n, hkv, d, generator=gen).to(case.dtype)
    start = torch.zeros(b, dtype=torch.int64)
    start[1:] = torch.cumsum(lens, 0)[:-1]
    return [q, k, v, start.to(torch.int32), lens.to(torch.int32), int(lens.max()),
            1.0 / math.sqrt(d)]


def reference(q, k, v, b_start_loc, b_seq_len, max_input_len, sm_scale):
    group = q.shape[1] // k.shape[1]
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        qb = q[s:s + n].to(torch.float32).transpose(0, 1)                           # (Hq, n, D)
        kb, vb = (t[s:s + n].to(torch.float32).transpose(0, 1).repeat_interleave(group, 0)
                  for t in (k, v))                                              # kv head h // G
        scores = torch.matmul(qb, kb.transpose(-1, -2)) * sm_scale
        keep = torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
        out[s:s + n] = torch.matmul(torch.softmax(scores, dim=-1), vb).transpose(0, 1).to(q.dtype)
    return out


def baseline(q, k, v, b_start_loc, b_seq_len, max_input_len, sm_scale):
    """What a PyTorch user writes: causal F.scaled_dot_product_attention with enable_gqa per prompt."""
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    # Prompts have different lengths: one SDPA call each (one host sync for the bounds).
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        qb, kb, vb = (t[s:s + n].transpose(0, 1)[None] for t in (q, k, v))       # (1, H, n, D)
        o = F.scaled_dot_product_attention(qb, kb, vb, is_causal=True, scale=sm_scale,
                                           enable_gqa=True)
        out[s:s + n] = o[0].transpose(0, 1)
    return out
