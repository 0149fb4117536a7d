"""context_attn_fwd: causal prefill attention over a packed variable-length batch.
q, k, v are (N, H, D): the tokens of B requests back to back along the first axis;
request b is rows b_start_loc[b] .. b_start_loc[b] + b_seq_len[b] - 1. For its token i
and head h,
    out[i, h] = softmax_j(q[i, h] . k[j, h] * sm_scale) @ v[j, h],  0 <= j <= i,
over the tokens j of the same request only. Computed in float32 and returned in q's
dtype as a new contiguous (N, H, D) tensor."""

import math

import torch
import torch.nn.functional as F


def draw_lengths(b, lmax, params, gen):
    """Request lengths in [1, lmax]. params: equal = 1 gives every request lmax tokens,
    stair = 1 gives request i (i + 1) * lmax // b tokens (both deterministic, for the
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
    # params: std scales q and k. With std 3 the scaled scores spread by ~9, so the
    # softmax rows are peaked and exp(score) without a running max overflows.
    std = case.params.get("std", 1.0)
    buf = torch.randn(n, 3, h, d, generator=gen)
    buf[:, :2] *= std
    if case.params.get("fused", 0):
        # q, k and v are slices of one fused (N, 3, H, D) projection output: token
        # stride 3*H*D, head stride D, unit stride along D.
        buf = buf.to(case.dtype)
        q, k, v = buf[:, 0], buf[:, 1], buf[:, 2]
    else:
        q, k, v = (buf[:, i].contiguous().to(case.dtype) for i in range(3))
    start = torch.zeros(b, dtype=torch.int64)
    start[1:] = torch.cumsum(lens, 0)[:-1]
    return [q, k, v, start.to(torch.int32), lens.to(torch.int32), int(lens.max()),
            1.0 / math.sqrt(d)]


def reference(q, k, v, b_start_loc, b_seq_len, max_input_len, sm_scale):
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        qb, kb, vb = (t[s:s + n].to(torch.float32).transpose(0, 1) for t in (q, k, v))  # (H, n, D)
        scores = torch.matmul(qb, kb.transpose(-1, -2)) * sm_scale
        keep = torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
        out[s:s + n] = torch.matmul(torch.softmax(scores, dim=-1), vb).transpose(0, 1).to(q.dtype)
    return out


def baseline(q, k, v, b_start_loc, b_seq_len, max_input_len, sm_scale):
    """What a PyTorch user writes: causal F.scaled_dot_product_attention per request."""
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    # Requests have different lengths: one SDPA call each (one host sync for the bounds).
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        qb, kb, vb = (t[s:s + n].transpose(0, 1)[None] for t in (q, k, v))       # (1, H, n, D)
        o = F.scaled_dot_product_attention(qb, kb, vb, is_causal=True, scale=sm_scale)
        out[s:s + n] = o[0].transpose(0, 1)
    return out
