"""embedding_triton_kernel: token-embedding lookup against one vocabulary shard (the
vocab-parallel embedding of tensor-parallel LLM serving). weight holds the rows of
token ids [vocab_start, vocab_end):
    out[t] = weight[ids[t] - vocab_start]  if vocab_start <= ids[t] < vocab_end,
    out[t] = 0                             otherwise (another shard owns that token)."""

import torch


def make_inputs(case, gen):
    t, d, v = case.dims["T"], case.dims["D"], case.dims["V"]
    vs = case.dims.get("VS", 0)
    ve = case.dims.get("VE", 0) or v
    idx_dtype = torch.int32 if case.params.get("int32", 0) else torch.int64
    ids = torch.randint(0, v, (t,), generator=gen)
    # Shard edges: the first and last owned ids and their outside neighbours.
    edges = [x for x in (vs - 1, vs, ve - 1, ve) if 0 <= x < v]
    pos = torch.randperm(t, generator=gen)[:len(edges)]
    ids[pos] = torch.tensor(edges[:len(pos)], dtype=ids.dtype)
    weight = torch.randn(ve - vs, d, generator=gen).to(case.dtype)
    return [ids.to(idx_dtype), weight, vs, ve]


def reference(ids, weight, vocab_start, vocab_end):
    ids = ids.to(torch.int64)
    owned = (ids >= vocab_start) & (ids < vocab_end)
    rows = torch.where(owned, ids - vocab_start, torch.zeros_like(ids))
    out = weight[rows]
    out[~owned] = 0
    return out


def baseline(ids, weight, vocab_start, vocab_end):
    """What a PyTorch user writes: vocab-parallel F.embedding, zeroing tokens of other shards."""
    outside = (ids < vocab_start) | (ids >= vocab_end)
    local = (ids - vocab_start).masked_fill(outside, 0)
    return torch.nn.functional.embedding(local, weight).masked_fill(outside[:, None], 0)
