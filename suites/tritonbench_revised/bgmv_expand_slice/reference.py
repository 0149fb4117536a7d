"""bgmv_expand_slice: the "expand" half of multi-LoRA serving (Punica / S-LoRA BGMV),
writing into a column slice of a wider output (e.g. the q, k or v part of a fused QKV
projection). Every token picks its own adapter:
    new[i, off:off+HS] = out[i, off:off+HS] + x[i, :] @ B[idx[i]]^T
for x (T, R) float32, B (L, HS, R) and out (T, HO); every other element of new equals
out, and rows with idx[i] == -1 are copied unchanged. out itself is not modified.
Computed in float64, returned in out's dtype."""

import math

import torch


def make_inputs(case, gen):
    d = case.dims
    t, r, n_lora, hs, ho = d["T"], d["R"], d["L"], d["HS"], d["HO"]
    off = int(case.params.get("off", 0))
    assert off + hs <= ho
    # x is the float32 output of the shrink step; B carries 1/sqrt(R) so every update
    # is ~N(0, 1) whatever R is, like the base values in out.
    x = torch.randn(t, r, generator=gen)
    lora_b = (torch.randn(n_lora, hs, r, generator=gen) / math.sqrt(r)).to(case.dtype)
    out = torch.randn(t, ho, generator=gen).to(case.dtype)
    if case.params.get("all_adapters", 0.0):
        # Performance cases: every adapter serves T / L tokens, in shuffled order, so
        # the whole of B is read (the default byte count is then exact).
        idx = torch.arange(t, dtype=torch.int64) % n_lora
        idx = idx[torch.randperm(t, generator=gen)]
    else:
        # Adapter ids in [-1, L), shared by tokens in no particular order. From T = 3 on,
        # token 0 has none and the last token uses the last adapter (the end of B).
        idx = torch.randint(-1, n_lora, (t,), generator=gen, dtype=torch.int64)
        if t >= 3:
            idx[0] = -1
            idx[-1] = n_lora - 1
        else:
            idx.clamp_(min=0)  # one or two tokens: all with an adapter
    if case.params.get("no_adapters", 0.0):
        idx.fill_(-1)
    return [x, lora_b, idx, out, off]


def reference(x, lora_b, lora_indices, out, slice_offset):
    hs = lora_b.shape[1]
    new = out.double()  # a copy: out is left as it was
    has = lora_indices >= 0
    if has.any():
        b = lora_b[lora_indices[has]].double()  # (T', HS, R)
        new[has, slice_offset:slice_offset + hs] += torch.einsum("tr,thr->th", x[has].double(), b)
    return new.to(out.dtype)


def baseline(x, lora_b, lora_indices, out, slice_offset):
    """What a PyTorch user writes: gather each token's B, one batched matvec, add into a copy of out."""
    hs = lora_b.shape[1]
    # In x's float32: the update is added to out and rounded once; rounding x or the
    # product to 16 bits first would cost results that nearly cancel their tolerance.
    b = lora_b.to(x.dtype)[lora_indices.clamp(min=0)]                     # (T, HS, R)
    update = torch.bmm(b, x.unsqueeze(-1)).squeeze(-1)                    # (T, HS)
    new = out.clone()
    cols = new[:, slice_offset:slice_offset + hs]
    has = (lora_indices >= 0)[:, None]
    new[:, slice_offset:slice_offset + hs] = torch.where(has, cols + update, cols).to(out.dtype)
    return new
