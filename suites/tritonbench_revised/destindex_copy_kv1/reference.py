"""destindex_copy_kv1: scatter the keys AND values of N tokens into one fused KV buffer
of S token slots whose head axis holds the H key heads first, then the H value heads:
    kv_buffer[dest_loc[i], :H] = k[i],  kv_buffer[dest_loc[i], H:] = v[i].
dest_loc is int32. The buffer is updated in place; other slots keep their values."""

import torch


def make_inputs(case, gen):
    n, h, d, s = case.dims["N"], case.dims["H"], case.dims["D"], case.dims["S"]
    k = torch.randn(n, h, d, generator=gen).to(case.dtype)
    v = torch.randn(n, h, d, generator=gen).to(case.dtype)
    kv_buffer = torch.randn(s, 2 * h, d, generator=gen).to(case.dtype)
    dest_loc = torch.randperm(s, generator=gen)[:n].to(torch.int32)
    return [k, v, dest_loc, kv_buffer]


def reference(k, v, dest_loc, kv_buffer):
    h = k.shape[1]
    idx = dest_loc.to(torch.int64)
    kv_buffer[idx, :h] = k
    kv_buffer[idx, h:] = v


# The reference is already what a PyTorch user writes.
baseline = reference
