"""index_select_cat: gather the same rows from two tables and concatenate them along the
feature axis (e.g. an MLA cache's compressed latent and its rotary key part):
    out[i] = cat(a[index[i]], b[index[i]])   ->  out has Da + Db columns."""

import torch


def make_inputs(case, gen):
    s, n = case.dims["S"], case.dims["N"]
    da, db = case.dims["DA"], case.dims["DB"]
    a = torch.randn(s, da, generator=gen).to(case.dtype)
    b = torch.randn(s, db, generator=gen).to(case.dtype)
    # Rows may repeat (a gather reads, so repeats are legal); random order.
    idx_dtype = torch.int32 if case.params.get("int32", 0) else torch.int64
    index = torch.randint(0, s, (n,), generator=gen).to(idx_dtype)
    return [a, b, index]


def reference(a, b, index):
    idx = index.to(torch.int64)
    return torch.cat([a.index_select(0, idx), b.index_select(0, idx)], dim=1)


# The reference is already what a PyTorch user writes.
baseline = reference
