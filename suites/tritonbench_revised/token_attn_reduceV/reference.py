"""token_attn_reduceV: the value stage of token-level decode attention (one new query
token per request, values in a shared token pool). probs (Hq, total_tokens) holds the
attention weights of all requests side by side: request b owns columns b_start_loc[b] ..
b_start_loc[b] + b_seq_len[b] - 1, and its position p lives in pool row
req_to_token[b, p]. Query head h reads kv head h // (Hq // Hkv) (grouped-query
attention):
    out[b, h] = sum_{p < b_seq_len[b]} probs[h, b_start_loc[b] + p] * v[req_to_token[b, p], h // G].
Computed in float64, returned in v's dtype."""

import torch


def make_inputs(case, gen):
    b, l = case.dims["B"], case.dims["L"]
    hq, hkv, d = case.dims["HQ"], case.dims["HKV"], case.dims["D"]
    # params: fixed = 1 gives every request exactly L positions (performance cases);
    # std scales the logits the weights are drawn from (std 3: peaked weights).
    std = case.params.get("std", 1.0)
    if case.params.get("fixed", 0):
        lens = torch.full((b,), l, dtype=torch.int64)
    else:
        # Lengths in [1, L]; one request of length L and (B > 1) one of length 1.
        lens = torch.randint(1, l + 1, (b,), generator=gen)
        pick = torch.randperm(b, generator=gen)
        lens[pick[0]] = l
        if b > 1:
            lens[pick[1]] = 1
    total = int(lens.sum())
    start = torch.cumsum(lens, 0) - lens
    # Weights: a softmax of random logits within each request's columns, so every
    # (head, request) slice sums to 1 (up to float32 rounding).
    logits = torch.randn(hq, total, generator=gen, dtype=torch.float64) * std
    probs = torch.empty(hq, total, dtype=torch.float64)
    for s, n in zip(start.tolist(), lens.tolist()):
        probs[:, s:s + n] = torch.softmax(logits[:, s:s + n], dim=-1)
    # A pool with a few rows owned by no request; positions sit in scattered rows.
    pool = total + max(3, total // 64)
    rows = torch.randperm(pool, generator=gen)[:total]
    # Table entries past a request's length are stale: random (valid) pool rows.
    table = torch.randint(0, pool, (b, l), generator=gen)
    table[torch.arange(l)[None, :] < lens[:, None]] = rows
    v = torch.randn(pool, hkv, d, generator=gen).to(case.dtype)
    return [probs.float(), v, table.to(torch.int32), start.to(torch.int32), lens.to(torch.int32),
            int(lens.max())]


def reference(probs, v, req_to_token, b_start_loc, b_seq_len, max_len_in_batch):
    hq = probs.shape[0]
    _, hkv, d = v.shape
    batch = b_seq_len.shape[0]
    group = hq // hkv
    out = torch.empty(batch, hq, d, dtype=v.dtype, device=v.device)
    for b, (s, n) in enumerate(zip(b_start_loc.tolist(), b_seq_len.tolist())):
        vals = v[req_to_token[b, :n].long()].double()                  # (n, Hkv, D)
        w = probs[:, s:s + n].double().reshape(hkv, group, n)           # head h = j*G + g
        out[b] = torch.einsum("jgn,njd->jgd", w, vals).reshape(hq, d).to(v.dtype)
    return out


def baseline(probs, v, req_to_token, b_start_loc, b_seq_len, max_len_in_batch):
    """What a PyTorch user writes: gather each request's weights and values padded to the
    longest (zero weights past its length), then one batched matmul."""
    hq, total = probs.shape
    _, hkv, d = v.shape
    batch = b_seq_len.shape[0]
    p = torch.arange(max_len_in_batch, device=v.device)
    cols = (b_start_loc.long()[:, None] + p).clamp(max=total - 1)    # (B, L)
    w = probs[:, cols].masked_fill(p >= b_seq_len.long()[:, None], 0.0)  # (Hq, B, L)
    w = w.to(v.dtype).permute(1, 0, 2).reshape(batch, hkv, hq // hkv, max_len_in_batch)
    vals = v[req_to_token[:, :max_len_in_batch].long()].transpose(1, 2)  # (B, Hkv, L, D)
    return torch.matmul(w, vals).reshape(batch, hq, d)
