"""sgmv_expand_slice: the segmented ("SGMV", Punica / S-LoRA) LoRA up-projection of a
prefill batch, written into a column slice of a wider output. Tokens are grouped into S
contiguous segments (rows seg_start[s] .. seg_start[s+1]-1), each served by one adapter
lora_ids[s]:
    new[rows, off:off+HS] = base[rows, off:off+HS] + x[rows] @ B[lora_ids[s]]^T
for x (T, R), B (L, HS, R) and base (T, HO); every other element of new equals base
(segments with id -1 are copied unchanged). Computed in float64, returned in base's
dtype."""

import math

import torch


def make_inputs(case, gen):
    d = case.dims
    t, s, r, n_lora, hs, ho = d["T"], d["S"], d["R"], d["L"], d["HS"], d["HO"]
    off = int(case.params.get("off", 0))
    assert off + hs <= ho
    # x carries 1/sqrt(R) so every update is ~N(0, 1) whatever R is, like base.
    x = (torch.randn(t, r, generator=gen) / math.sqrt(r)).to(case.dtype)
    lora_b = torch.randn(n_lora, hs, r, generator=gen).to(case.dtype)
    base = torch.randn(t, ho, generator=gen).to(case.dtype)
    if case.params.get("all_adapters", 0.0):
        # Performance cases: S >= L non-empty segments of random lengths, adapters
        # assigned so that every one is used (the default byte count is then exact).
        cuts = torch.sort(torch.randperm(t - 1, generator=gen)[:s - 1] + 1).values
        ids = (torch.arange(s) % n_lora)[torch.randperm(s, generator=gen)]
    else:
        # Random cut points, with repeats: segments of any length, empty ones included.
        # Random adapters; from S = 3 on, segment 1 is always empty, segment 0 has no
        # adapter (-1) and the last segment uses the last adapter (the end of B).
        cuts = torch.sort(torch.randint(0, t + 1, (s - 1,), generator=gen)).values
        ids = torch.randint(0, n_lora, (s,), generator=gen)
        if s >= 3:
            cuts[1] = cuts[0]
            ids[0] = -1
            ids[-1] = n_lora - 1
    if case.params.get("no_adapters", 0.0):
        ids.fill_(-1)
    seg_start = torch.cat([torch.zeros(1, dtype=torch.int64), cuts.to(torch.int64),
                           torch.full((1,), t, dtype=torch.int64)]).to(torch.int32)
    return [x, lora_b, seg_start, ids.to(torch.int32), base, off]


def reference(x, lora_b, seg_start, lora_ids, base, slice_offset):
    hs = lora_b.shape[1]
    new = base.double()  # a copy: base is left as it was
    bounds = seg_start.tolist()
    for s, lora in enumerate(lora_ids.tolist()):
        lo, hi = bounds[s], bounds[s + 1]
        if lora >= 0 and hi > lo:
            new[lo:hi, slice_offset:slice_offset + hs] += x[lo:hi].double() @ lora_b[lora].double().T
    return new.to(base.dtype)


def baseline(x, lora_b, seg_start, lora_ids, base, slice_offset):
    """What a PyTorch user writes: one matmul against all adapters' B, each token's x placed in its adapter's block."""
    t, r = x.shape
    n_lora, hs, _ = lora_b.shape
    # Each token's adapter id, without a host sync (-1: no adapter).
    seg_len = (seg_start[1:] - seg_start[:-1]).long()
    tok_lora = torch.repeat_interleave(lora_ids.long(), seg_len, output_size=t)
    # x_blocks[t, l * R:(l + 1) * R] = x[t] if token t uses adapter l, else 0: a single
    # (T, L * R) @ (L * R, HS) product replaces the ragged per-segment products.
    onehot = tok_lora[:, None] == torch.arange(n_lora, device=x.device)
    x_blocks = (x[:, None, :] * onehot[:, :, None]).reshape(t, n_lora * r)
    b_stacked = lora_b.transpose(1, 2).reshape(n_lora * r, hs)
    new = base.clone()
    cols = slice(slice_offset, slice_offset + hs)
    # addmm adds base inside the float32 accumulation: one rounding, as specified.
    new[:, cols] = torch.addmm(base[:, cols], x_blocks, b_stacked)
    return new
