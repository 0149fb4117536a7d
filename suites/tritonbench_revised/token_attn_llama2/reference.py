"""token_attn_llama2: the score stage of token-level decode attention (one new query
token per request, keys in a shared token pool). Request b has b_seq_len[b] cached
positions; position p of it lives in pool row req_to_token[b, p]. Query head h reads
kv head h // (Hq // Hkv) (grouped-query attention). The scores of all requests are
packed side by side into one (Hq, total_tokens) float32 matrix:
    att[h, b_start_loc[b] + p] = (q[b, h] . k[req_to_token[b, p], h // G]) * sm_scale
for p < b_seq_len[b], with b_start_loc the exclusive prefix sum of b_seq_len."""

import math

import torch


def _lengths(b, l, fixed, gen):
    """(B,) int64 lengths in [1, L]: all L with `fixed`, else random with one request of
    length 1 and one of length L (a single request gets L)."""
    if fixed:
        return torch.full((b,), l, dtype=torch.int64)
    lens = torch.randint(1, l + 1, (b,), generator=gen)
    order = torch.randperm(b, generator=gen)
    lens[order[0]] = l
    if b > 1:
        lens[order[1]] = 1
    return lens


def make_inputs(case, gen):
    b, l = case.dims["B"], case.dims["L"]
    hq, hkv, d = case.dims["HQ"], case.dims["HKV"], case.dims["D"]
    # params: fixed = 1 gives every request exactly L positions (performance cases, so
    # that flops and bytes are known); std scales q and k (3: scores up to ~+-30).
    std = case.params.get("std", 1.0)
    lens = _lengths(b, l, case.params.get("fixed", 0), gen)
    total = int(lens.sum())
    # The pool holds every cached token plus some rows that belong to no request, and
    # each request's positions sit in scattered rows (a random permutation).
    pool = total + max(3, total // 64)
    rows = torch.randperm(pool, generator=gen)[:total]
    # Table entries past a request's length are stale: random (valid) pool rows.
    table = torch.randint(0, pool, (b, l), generator=gen)
    table[torch.arange(l)[None, :] < lens[:, None]] = rows
    start = torch.cumsum(lens, 0) - lens
    q = (torch.randn(b, hq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(pool, hkv, d, generator=gen) * std).to(case.dtype)
    return [q, k, table.to(torch.int32), start.to(torch.int32), lens.to(torch.int32),
            total, int(lens.max()), 1.0 / math.sqrt(d)]


def reference(q, k, req_to_token, b_start_loc, b_seq_len, total_tokens, max_len_in_batch,
              sm_scale):
    batch, hq, d = q.shape
    hkv = k.shape[1]
    group = hq // hkv
    att = torch.zeros(hq, total_tokens, dtype=torch.float32, device=q.device)
    starts, lens = b_start_loc.tolist(), b_seq_len.tolist()
    for b in range(batch):
        n, s = lens[b], starts[b]
        keys = k[req_to_token[b, :n].long()].double()                  # (n, Hkv, D)
        qb = q[b].double().reshape(hkv, group, d)                       # head h = j*G + g
        scores = torch.einsum("jgd,njd->jgn", qb, keys).reshape(hq, n)
        att[:, s:s + n] = (scores * sm_scale).float()
    return att


def baseline(q, k, req_to_token, b_start_loc, b_seq_len, total_tokens, max_len_in_batch,
             sm_scale):
    """What a PyTorch user writes: gather each request's keys padded to the longest, one
    batched matmul, then pick the valid columns into the packed layout."""
    batch, hq, d = q.shape
    hkv = k.shape[1]
    keys = k[req_to_token[:, :max_len_in_batch].long()]              # (B, L, Hkv, D)
    # float32 scores (the output's dtype): 16-bit scores would round them to 2^-11.
    qf = (q.float() * sm_scale).view(batch, hkv, hq // hkv, d)       # head h = j*G + g
    scores = torch.matmul(qf, keys.float().permute(0, 2, 3, 1))      # (B, Hkv, G, L)
    scores = scores.view(batch, hq, max_len_in_batch).transpose(0, 1)
    # Packed column t is position t - b_start_loc[b] of its request b.
    req = torch.repeat_interleave(torch.arange(batch, device=q.device), b_seq_len.long(),
                                  output_size=total_tokens)
    pos = torch.arange(total_tokens, device=q.device) - b_start_loc.long()[req]
    return scores.reshape(hq, batch * max_len_in_batch)[:, req * max_len_in_batch + pos]
