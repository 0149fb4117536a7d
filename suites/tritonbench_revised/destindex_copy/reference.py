"""destindex_copy: scatter the K vectors of N tokens into a token-indexed KV cache
(a pool of S token slots): cache[dest_loc[i], :, :] = k[i, :, :]. The cache is updated
in place; slots not named by dest_loc keep their values."""

import torch


def make_inputs(case, gen):
    n, h, d, s = case.dims["N"], case.dims["H"], case.dims["D"], case.dims["S"]
    k = torch.randn(n, h, d, generator=gen).to(case.dtype)
    cache = torch.randn(s, h, d, generator=gen).to(case.dtype)
    # Distinct destination slots spread over the whole pool, in random order.
    dest_loc = torch.randperm(s, generator=gen)[:n].to(torch.int64)
    return [k, dest_loc, cache]


def reference(k, dest_loc, cache):
    cache[dest_loc] = k


# The reference is already what a PyTorch user writes.
baseline = reference
