"""cache_transform_triton: write the key and value vectors of N new tokens into a paged
KV cache kept in the transformed ("x-split") layout used by paged-attention decode kernels
(vLLM's reshape_and_cache):
    key_cache   (num_blocks, H, D // x, block_size, x),  x = 16 bytes / element size
    value_cache (num_blocks, H, D, block_size)
Token i goes to slot s = slot_mapping[i] (block s // block_size, offset s % block_size);
s = -1 marks a padding token that is not written. Both caches are updated in place."""

import torch


def make_inputs(case, gen):
    n, h, d = case.dims["N"], case.dims["H"], case.dims["D"]
    bs, nb = case.dims["BS"], case.dims["NB"]
    x = 16 // torch.empty((), dtype=case.dtype).element_size()
    key = torch.randn(n, h, d, generator=gen).to(case.dtype)
    value = torch.randn(n, h, d, generator=gen).to(case.dtype)
    # The caches start full of other values: slots the call does not own must be kept.
    key_cache = torch.randn(nb, h, d // x, bs, x, generator=gen).to(case.dtype)
    value_cache = torch.randn(nb, h, d, bs, generator=gen).to(case.dtype)
    # Distinct destination slots scattered over the whole cache, then about one token
    # in eight marked as padding (-1).
    slots = torch.randperm(nb * bs, generator=gen)[:n]
    pad = torch.rand(n, generator=gen) < 0.125
    slot_mapping = torch.where(pad, torch.full_like(slots, -1), slots).to(torch.int64)
    return [key, value, key_cache, value_cache, slot_mapping]


def reference(key, value, key_cache, value_cache, slot_mapping):
    n, h, d = key.shape
    bs, x = key_cache.shape[3], key_cache.shape[4]
    keep = slot_mapping >= 0
    slots = slot_mapping[keep]
    blk, off = slots // bs, slots % bs
    k = key[keep].reshape(-1, h, d // x, x)   # (n', H, D/x, x)
    v = value[keep]                           # (n', H, D)
    key_cache[blk, :, :, off, :] = k
    value_cache[blk, :, :, off] = v


# The reference is already what a PyTorch user writes (native dtype, one vectorized
# index_put per cache; the boolean mask drops the padding tokens).
baseline = reference
