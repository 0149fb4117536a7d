"""kv_cache_filling: (chunked) prefill writes the keys and values of a packed,
variable-length batch into a paged KV cache (num_blocks, block_size, H, D).
Sequence b's new tokens are rows cu_seqlens[b] .. cu_seqlens[b+1]-1 of key/value; the
first prefix_lens[b] positions of the sequence are already cached, so its new token t
goes to position p = prefix_lens[b] + t, i.e. block block_tables[b, p // block_size],
offset p % block_size."""

import torch


def make_inputs(case, gen):
    b, lmax, bs = case.dims["B"], case.dims["L"], case.dims["BS"]
    pmax = case.dims.get("P", 0)
    h, d = case.dims["H"], case.dims["D"]
    # params: full = 1 gives every sequence exactly L new tokens (performance cases).
    if case.params.get("full", 0):
        lens = torch.full((b,), lmax, dtype=torch.int64)
    else:
        lens = torch.randint(1, lmax + 1, (b,), generator=gen)
        lens[torch.randint(0, b, (1,), generator=gen)] = lmax  # the longest is exactly L
    prefix = torch.randint(0, pmax + 1, (b,), generator=gen)
    max_blocks = -(-(pmax + lmax) // bs)
    num_blocks = b * max_blocks + 1
    total = int(lens.sum())
    key = torch.randn(total, h, d, generator=gen).to(case.dtype)
    value = torch.randn(total, h, d, generator=gen).to(case.dtype)
    key_cache = torch.randn(num_blocks, bs, h, d, generator=gen).to(case.dtype)
    value_cache = torch.randn(num_blocks, bs, h, d, generator=gen).to(case.dtype)
    # Distinct, scattered blocks per sequence; entries past the sequence's end are -1.
    pool = torch.randperm(num_blocks, generator=gen)[: b * max_blocks].reshape(b, max_blocks)
    need = -(-(prefix + lens) // bs)
    used = torch.arange(max_blocks)[None, :] < need[:, None]
    block_tables = torch.where(used, pool, torch.full_like(pool, -1)).to(torch.int32)
    cu_seqlens = torch.zeros(b + 1, dtype=torch.int64)
    cu_seqlens[1:] = torch.cumsum(lens, 0)
    return [key, value, key_cache, value_cache, cu_seqlens.to(torch.int32),
            prefix.to(torch.int32), block_tables, lmax]


def reference(key, value, key_cache, value_cache, cu_seqlens, prefix_lens, block_tables,
              max_seqlen):
    bs = key_cache.shape[1]
    cu = cu_seqlens.to(torch.int64)
    lens = cu[1:] - cu[:-1]
    seq = torch.repeat_interleave(torch.arange(lens.numel(), device=key.device), lens)        # token -> sequence
    t = torch.arange(key.shape[0], device=key.device) - cu[:-1][seq]                          # index inside it
    pos = prefix_lens.to(torch.int64)[seq] + t
    blk = block_tables.to(torch.int64)[seq, pos // bs]
    key_cache[blk, pos % bs] = key
    value_cache[blk, pos % bs] = value


def baseline(key, value, key_cache, value_cache, cu_seqlens, prefix_lens, block_tables,
             max_seqlen):
    """What a PyTorch user writes: each token's (block, slot) from cu_seqlens, then one
    indexed write per cache."""
    bs = key_cache.shape[1]
    cu = cu_seqlens.long()
    tokens = torch.arange(key.shape[0], device=key.device)
    # output_size: the total is known (T), so repeat_interleave needs no host sync.
    seq = torch.repeat_interleave(torch.arange(cu.numel() - 1, device=key.device), cu.diff(),
                                  output_size=key.shape[0])
    pos = prefix_lens.long()[seq] + tokens - cu[seq]
    blk = block_tables.long()[seq, pos // bs]
    slot = pos % bs
    key_cache[blk, slot] = key
    value_cache[blk, slot] = value
