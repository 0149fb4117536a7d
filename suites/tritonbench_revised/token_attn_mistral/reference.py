"""token_attn_mistral: one decode step of sliding-window attention over a paged KV
cache (Mistral-style). Request b has seq_lens[b] cached positions, its new query being
the token at position n - 1 (n = seq_lens[b]); position p lives in slot p % block_size
of physical block block_tables[b, p // block_size] of k_cache / v_cache
(num_blocks, block_size, Hkv, D). The query attends the last `window` positions,
n - 1 - window < p <= n - 1; query head h reads kv head h // (Hq // Hkv):
    out[b, h] = softmax_p(q[b, h] . k[p, h // G] * sm_scale) @ v[p, h // G].
Computed in float32 (the dots in float64), returned in q's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, l = case.dims["B"], case.dims["L"]
    hq, hkv, d = case.dims["HQ"], case.dims["HKV"], case.dims["D"]
    # params: bs = block size (default 16); window = W (default L, all positions);
    # fixed = 1 gives every request exactly L positions (performance cases); std scales
    # q and k (std 3: peaked attention rows).
    bs = int(case.params.get("bs", 16))
    window = int(case.params.get("window", l))
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
    max_blocks = -(-l // bs)
    # Every table entry is a distinct physical block (entries past a request's last
    # block too: stale blocks full of other data), plus a few blocks no table names.
    num_blocks = b * max_blocks + 3
    tables = torch.randperm(num_blocks, generator=gen)[: b * max_blocks].reshape(b, max_blocks)
    q = (torch.randn(b, hq, d, generator=gen) * std).to(case.dtype)
    k_cache = (torch.randn(num_blocks, bs, hkv, d, generator=gen) * std).to(case.dtype)
    v_cache = torch.randn(num_blocks, bs, hkv, d, generator=gen).to(case.dtype)
    return [q, k_cache, v_cache, tables.to(torch.int32), lens.to(torch.int32), window,
            1.0 / math.sqrt(d)]


def reference(q, k_cache, v_cache, block_tables, seq_lens, window, sm_scale):
    batch, hq, d = q.shape
    bs, hkv = k_cache.shape[1], k_cache.shape[2]
    group = hq // hkv
    out = torch.empty_like(q)
    for b, n in enumerate(seq_lens.tolist()):
        pos = torch.arange(max(0, n - window), n, device=q.device)
        blk = block_tables[b].long()[pos // bs]
        keys = k_cache[blk, pos % bs].double()                          # (w, Hkv, D)
        vals = v_cache[blk, pos % bs].float()
        qb = q[b].double().reshape(hkv, group, d)                       # head h = j*G + g
        scores = (torch.einsum("jgd,wjd->jgw", qb, keys) * sm_scale).float()
        p = torch.softmax(scores, dim=-1)
        out[b] = torch.einsum("jgw,wjd->jgd", p, vals).reshape(hq, d).to(q.dtype)
    return out


def baseline(q, k_cache, v_cache, block_tables, seq_lens, window, sm_scale):
    """What a PyTorch user writes: gather each request's window of K/V from the paged
    cache (padded to the widest window), then SDPA with a padding mask and enable_gqa."""
    batch, hq, d = q.shape
    bs = k_cache.shape[1]
    # The widest possible window, known without reading seq_lens on the host.
    w = min(window, block_tables.shape[1] * bs)
    pos = seq_lens.long()[:, None] - w + torch.arange(w, device=q.device)  # (B, W)
    valid = pos >= 0
    pos = pos.clamp(min=0)
    blk = torch.gather(block_tables.long(), 1, pos // bs)
    keys = k_cache[blk, pos % bs].transpose(1, 2)                    # (B, Hkv, W, D)
    vals = v_cache[blk, pos % bs].transpose(1, 2)
    out = F.scaled_dot_product_attention(q[:, :, None], keys, vals,
                                         attn_mask=valid[:, None, None, :],
                                         scale=sm_scale, enable_gqa=True)
    return out.squeeze(2)
