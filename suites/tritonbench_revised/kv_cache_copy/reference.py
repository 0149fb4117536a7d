"""kv_cache_copy: copy whole blocks inside a paged KV cache (copy-on-write when a
sequence is forked, e.g. for beam search or parallel sampling). For every pair
(src, dst) of block_mapping, both caches get
    key_cache[dst] = key_cache[src],  value_cache[dst] = value_cache[src].
No destination is also a source and destinations are distinct, so order is free."""

import torch


def make_inputs(case, gen):
    nb, p = case.dims["NB"], case.dims["P"]
    bs, h, d = case.dims["BS"], case.dims["H"], case.dims["D"]
    key_cache = torch.randn(nb, bs, h, d, generator=gen).to(case.dtype)
    value_cache = torch.randn(nb, bs, h, d, generator=gen).to(case.dtype)
    perm = torch.randperm(nb, generator=gen)
    dst = perm[:p]
    # Sources come from the other blocks, with repeats (one block forked several times).
    src = perm[p:][torch.randint(0, nb - p, (p,), generator=gen)]
    block_mapping = torch.stack([src, dst], dim=1).to(torch.int64)
    return [key_cache, value_cache, block_mapping]


def reference(key_cache, value_cache, block_mapping):
    src, dst = block_mapping[:, 0], block_mapping[:, 1]
    key_cache[dst] = key_cache[src]
    value_cache[dst] = value_cache[src]


# The reference is already what a PyTorch user writes.
baseline = reference
