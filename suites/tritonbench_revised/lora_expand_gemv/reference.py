"""lora_expand_gemv: the single-adapter LoRA up-projection of a decode step, added to
the base layer's output: y = base + x @ B^T for a few tokens x (T, R), the adapter's
up-projection B (HO, R) and base (T, HO). Computed in float64, returned in base's dtype."""

import math

import torch


def make_inputs(case, gen):
    t, r, ho = case.dims["T"], case.dims["R"], case.dims["HO"]
    # x carries 1/sqrt(R) so the update is ~N(0, 1) whatever R is, like base.
    x = (torch.randn(t, r, generator=gen) / math.sqrt(r)).to(case.dtype)
    lora_b = torch.randn(ho, r, generator=gen).to(case.dtype)
    base = torch.randn(t, ho, generator=gen).to(case.dtype)
    return [x, lora_b, base]


def reference(x, lora_b, base):
    return (base.double() + x.double() @ lora_b.double().T).to(base.dtype)


def baseline(x, lora_b, base):
    """What a PyTorch user writes: torch.addmm(base, x, lora_b.T) in the inputs' dtype."""
    return torch.addmm(base, x, lora_b.t())
