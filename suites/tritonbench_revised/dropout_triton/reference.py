"""dropout_triton: dropout with a given keep-mask (the random draw was made elsewhere):
out = x / (1 - p) where keep is True, else 0, elementwise over (M, N); computed in
float32 or better and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    p = case.params.get("p", 0.5)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    # The mask keeps a fraction of about 1 - p, but it is an independent input: the kernel
    # must follow it element by element whatever p is (p = 0 still drops masked elements).
    keep = torch.rand(m, n, generator=gen) >= max(p, 0.1)
    return [x, keep, p]


def reference(x, keep, p):
    scaled = x.to(torch.float64) / (1.0 - p)
    return torch.where(keep, scaled, torch.zeros_like(scaled)).to(x.dtype)


def baseline(x, keep, p):
    """What a PyTorch user writes: torch.where on the given mask, scaling by 1 / (1 - p)."""
    return torch.where(keep, x / (1.0 - p), 0.0)
