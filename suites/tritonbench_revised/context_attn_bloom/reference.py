"""context_attn_bloom: causal prefill attention with ALiBi position biases (as in BLOOM)
over a packed variable-length batch of multi-head attention. q, k, v are (N, H, D), the
tokens of B requests back to back (request b: rows b_start_loc[b] ..
b_start_loc[b] + b_seq_len[b] - 1); slopes (H,) float32. For token i of a request and
head h, over the same request's tokens j <= i:
    score(i, j) = q[i, h] . k[j, h] * sm_scale + slopes[h] * (j - i)
    out[i, h]   = softmax_j(score(i, j)) @ v[j, h].
float32 softmax, result in q's dtype."""

import math

import torch
import torch.nn.functional as F


def alibi_slopes(h):
    """BLOOM's head slopes: for the largest power of two p <= h, 2^(-8k/p) for k = 1..p,
    then for the h - p remaining heads 2^(-4k/p) at odd k = 1, 3, 5, ..."""
    p = 2 ** int(math.floor(math.log2(h)))
    slopes = [2.0 ** (-8.0 * k / p) for k in range(1, p + 1)]
    slopes += [2.0 ** (-4.0 * k / p) for k in range(1, 2 * (h - p), 2)]
    return torch.tensor(slopes, dtype=torch.float32)


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
    b, lmax, h, d = case.dims["B"], case.dims["L"], case.dims["H"], case.dims["D"]
    lens = draw_lengths(b, lmax, case.params, gen)
    n = int(lens.sum())
    # params: std scales q and k (std 3: peaked rows); rand_slopes = 1 draws the slopes
    # uniformly in [0, 1) instead of BLOOM's (so the argument itself must be used).
    std = case.params.get("std", 1.0)
    q = (torch.randn(n, h, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(n, h, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(n, h, d, generator=gen).to(case.dtype)
    if case.params.get("rand_slopes", 0):
        slopes = torch.rand(h, generator=gen)
    else:
        slopes = alibi_slopes(h)
    start = torch.zeros(b, dtype=torch.int64)
    start[1:] = torch.cumsum(lens, 0)[:-1]
    return [q, k, v, slopes, start.to(torch.int32), lens.to(torch.int32), int(lens.max()),
            1.0 / math.sqrt(d)]


def reference(q, k, v, slopes, b_start_loc, b_seq_len, max_input_len, sm_scale):
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        qb, kb, vb = (t[s:s + n].to(torch.float32).transpose(0, 1) for t in (q, k, v))  # (H, n, D)
        i = torch.arange(n, device=q.device)
        rel = (i[None, :] - i[:, None]).to(torch.float32)                        # j - i
        scores = torch.matmul(qb, kb.transpose(-1, -2)) * sm_scale + slopes.to(torch.float32)[:, None, None] * rel
        scores = scores.masked_fill(rel > 0, float("-inf"))
        out[s:s + n] = torch.matmul(torch.softmax(scores, dim=-1), vb).transpose(0, 1).to(q.dtype)
    return out


def baseline(q, k, v, slopes, b_start_loc, b_seq_len, max_input_len, sm_scale):
    """What a PyTorch user writes: F.scaled_dot_product_attention per request, ALiBi as attn_mask."""
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    # Requests have different lengths: one SDPA call each (one host sync for the bounds).
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        i = torch.arange(n, device=q.device)
        rel = (i[None, :] - i[:, None]).to(torch.float32)                        # j - i
        bias = (slopes[:, None, None] * rel).masked_fill(rel > 0, float("-inf"))   # (H, n, n)
        # float32: SDPA wants the bias in q's dtype, and a 16-bit slope * (j - i) (up to
        # thousands) loses the precision the softmax needs.
        qb, kb, vb = (t[s:s + n].transpose(0, 1)[None].float() for t in (q, k, v))  # (1, H, n, D)
        o = F.scaled_dot_product_attention(qb, kb, vb, attn_mask=bias[None], scale=sm_scale)
        out[s:s + n] = o[0].transpose(0, 1)
    return out
