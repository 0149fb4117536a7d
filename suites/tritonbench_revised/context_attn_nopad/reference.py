"""context_attn_nopad: prefill attention with a prompt cache, over a packed batch of the
new tokens only. Request b already has b_prompt_cache_len[b] positions cached and
b_seq_len[b] positions in all; its n_b = b_seq_len[b] - b_prompt_cache_len[b] new
tokens are rows b_start_loc[b] .. b_start_loc[b] + n_b - 1 of q (N_new, Hq, D). The keys
and values of every position (cached and new) live in a token pool k_cache, v_cache
(T_pool, Hkv, D): position p of request b is pool row req_to_token[b, p]. New token i
of request b sits at position prefix + i and attends positions 0 .. prefix + i:
    out[i, h] = softmax_p(q[i, h] . K[p, h // G] * sm_scale) @ V[p, h // G],
K[p] = k_cache[req_to_token[b, p]] (GQA: G = Hq // Hkv). float32 softmax, q's dtype."""

import math

import torch
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


def draw_lengths(b, lmax, params, gen):
    """New-token counts in [1, lmax]: all lmax with params equal = 1 (performance cases,
    fixed flops); otherwise random, one exactly lmax and (for b > 1) one of 1 token."""
    if params.get("equal", 0):
        return torch.full((b,), lmax, dtype=torch.int64)
    lens = torch.randint(1, lmax + 1, (b,), generator=gen)
    pick = torch.randperm(b, generator=gen)
    lens[pick[0]] = lmax
    if b > 1:
        lens[pick[1]] = 1
    return lens


def make_inputs(case, gen):
    b, lmax, pmax, d = case.dims["B"], case.dims["L"], case.dims["P"], case.dims["D"]
    hq, hkv = case.dims["HQ"], case.dims["HKV"]
    assert hq % hkv == 0
    new = draw_lengths(b, lmax, case.params, gen)
    # Cached prefixes in [0, P] (all P with equal = 1, all 0 with no_cache = 1); for
    # b > 1 one request has no cache at all and one the full P.
    if case.params.get("no_cache", 0):
        prefix = torch.zeros(b, dtype=torch.int64)
    elif case.params.get("equal", 0):
        prefix = torch.full((b,), pmax, dtype=torch.int64)
    else:
        prefix = torch.randint(0, pmax + 1, (b,), generator=gen)
        if b > 1:
            pick = torch.randperm(b, generator=gen)
            prefix[pick[0]], prefix[pick[1]] = 0, pmax
    total = prefix + new
    n_new, n_pos = int(new.sum()), int(total.sum())
    # The pool holds every position of every request plus some unused rows, in a random
    # order (a fragmented token pool); the unused rows are random data too.
    pool = n_pos + 1 + n_pos // 8
    rows = torch.randperm(pool, generator=gen)
    max_len = pmax + lmax
    # Entries past a request's length point at arbitrary (valid) pool rows.
    req_to_token = torch.randint(0, pool, (b, max_len), generator=gen)
    off = 0
    for i, t in enumerate(total.tolist()):
        req_to_token[i, :t] = rows[off:off + t]
        off += t
    std = case.params.get("std", 1.0)  # std 3: peaked softmax rows
    q = (torch.randn(n_new, hq, d, generator=gen) * std).to(case.dtype)
    k_cache = (torch.randn(pool, hkv, d, generator=gen) * std).to(case.dtype)
    v_cache = torch.randn(pool, hkv, d, generator=gen).to(case.dtype)
    start = torch.zeros(b, dtype=torch.int64)
    start[1:] = torch.cumsum(new, 0)[:-1]
    return [q, k_cache, v_cache, req_to_token.to(torch.int32), start.to(torch.int32),
            total.to(torch.int32), prefix.to(torch.int32), int(new.max()), 1.0 / math.sqrt(d)]


def reference(q, k_cache, v_cache, req_to_token, b_start_loc, b_seq_len, b_prompt_cache_len,
              max_input_len, sm_scale):
    group = q.shape[1] // k_cache.shape[1]
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    for b, (s, t, c) in enumerate(zip(b_start_loc.tolist(), b_seq_len.tolist(),
                                      b_prompt_cache_len.tolist())):
        n = t - c
        idx = req_to_token[b, :t].to(torch.int64)
        qb = q[s:s + n].to(torch.float32).transpose(0, 1)                           # (Hq, n, D)
        kb, vb = (cache[idx].to(torch.float32).transpose(0, 1).repeat_interleave(group, 0)
                  for cache in (k_cache, v_cache))                             # (Hq, t, D)
        scores = torch.matmul(qb, kb.transpose(-1, -2)) * sm_scale
        qpos = c + torch.arange(n, device=q.device)
        keep = torch.arange(t, device=q.device)[None, :] <= qpos[:, None]
        scores = scores.masked_fill(~keep, float("-inf"))
        out[s:s + n] = torch.matmul(torch.softmax(scores, dim=-1), vb).transpose(0, 1).to(q.dtype)
    return out


def baseline(q, k_cache, v_cache, req_to_token, b_start_loc, b_seq_len, b_prompt_cache_len,
             max_input_len, sm_scale):
    """What a PyTorch user writes: gather K/V from the pool, SDPA with a bottom-right causal mask."""
    out = torch.empty(q.shape, dtype=q.dtype, device=q.device)
    # Requests have different lengths: one SDPA call each (one host sync for the bounds).
    for b, (s, t, c) in enumerate(zip(b_start_loc.tolist(), b_seq_len.tolist(),
                                      b_prompt_cache_len.tolist())):
        n = t - c
        idx = req_to_token[b, :t]
        qb = q[s:s + n].transpose(0, 1)[None]                                    # (1, Hq, n, D)
        kb, vb = (cache[idx].transpose(0, 1)[None] for cache in (k_cache, v_cache))  # (1, Hkv, t, D)
        # New token i sits at position c + i: causal aligned to the bottom-right corner.
        o = F.scaled_dot_product_attention(qb, kb, vb, attn_mask=causal_lower_right(n, t),
                                           scale=sm_scale, enable_gqa=True)
        out[s:s + n] = o[0].transpose(0, 1)
    return out
