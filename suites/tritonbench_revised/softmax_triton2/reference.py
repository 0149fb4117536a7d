"""softmax_triton2: row softmax of x (M, N) plus an additive column mask (N,) of 0 / -inf:
    z = x + mask[None, :],   y[i, :] = softmax(z[i, :]),
where x may itself hold -inf; a row whose z is all -inf is defined as all zeros.
Computed in float64 from the inputs' values, returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: keep = probability a mask entry is 0 (else -inf); pad = trailing columns
    # masked (-inf), as for key padding; xinf = probability an x entry is -inf; every
    # 5th row (from row 2) has -inf at all columns the mask keeps, so it is fully
    # masked; allmasked=1 masks every column. scale multiplies the normal draws (1e4,
    # or 1e3 in float16, overflows exp in float32 unless the row max is subtracted).
    scale = case.params.get("scale", 1.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale
    keep = torch.rand(n, generator=gen) < case.params.get("keep", 0.7)
    pad = int(case.params.get("pad", 0))
    if pad:
        keep[n - pad:] = False
    if case.params.get("allmasked", 0.0):
        keep[:] = False
    xinf = case.params.get("xinf", 0.0)
    if xinf > 0:
        x[torch.rand(m, n, generator=gen) < xinf] = float("-inf")
    x[2::5, keep] = float("-inf")
    mask = torch.where(keep, 0.0, float("-inf")).to(torch.float32)
    return [x.to(case.dtype), mask]


def reference(x, mask):
    z = x.to(torch.float64) + mask.to(torch.float64)[None, :]
    y = torch.softmax(z, dim=-1)
    dead = torch.isinf(z).all(dim=-1, keepdim=True)
    return torch.where(dead, torch.zeros_like(y), y).to(x.dtype)


def baseline(x, mask):
    """What a PyTorch user writes: add the mask, F.softmax, zero the fully masked rows."""
    z = x + mask.to(x.dtype)  # 0 / -inf: exact in any dtype
    dead = (z == float("-inf")).all(dim=-1, keepdim=True)  # softmax gives NaN there
    return F.softmax(z, dim=-1).masked_fill_(dead, 0.0)
