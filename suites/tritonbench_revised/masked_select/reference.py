"""masked_select: keep the rows of x whose per-row mask is true, packed in order
(e.g. picking the hidden states of the tokens that need logits or of one modality):
    out = x[mask]   with x (N, D), mask (N,) bool  ->  out (K, D), K = mask.sum()."""

import torch


def make_inputs(case, gen):
    n, d = case.dims["N"], case.dims["D"]
    frac = case.params.get("frac", 0.5)      # share of kept rows (0 and 1 allowed)
    if case.dtype.is_floating_point:
        x = torch.randn(n, d, generator=gen).to(case.dtype)
    else:
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, (n, d), generator=gen, dtype=torch.int64).to(case.dtype)
    mask = torch.rand(n, generator=gen) < frac
    return [x, mask]


def reference(x, mask):
    return x[mask]


# The reference is already what a PyTorch user writes.
baseline = reference
