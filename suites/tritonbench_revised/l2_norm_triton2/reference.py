"""l2_norm_triton2: L2 normalisation across the channel dim of x (B, C, L), as
torch.nn.functional.normalize(x, p=2, dim=1, eps=eps):
    y[b, c, l] = x[b, c, l] / max(sqrt(sum_k x[b, k, l]^2), eps).
Computed in float64, returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, c, l = case.dims["B"], case.dims["C"], case.dims["L"]
    # params: scale multiplies the draws (1e-13 in float32 with C = 64 puts the norms,
    # ~8e-13, around eps = 1e-12, so the clamp decides); eps defaults to 1e-12 (as in
    # F.normalize); eps=1 with C = 3 clamps the shorter vectors; zero_cols=1 zeroes
    # every third position l (all channels), whose output is exactly 0 (0 / eps).
    x = torch.randn(b, c, l, generator=gen) * case.params.get("scale", 1.0)
    if case.params.get("zero_cols", 0.0):
        x[:, :, 0::3] = 0.0
    return [x.to(case.dtype), case.params.get("eps", 1e-12)]


def reference(x, eps):
    y = torch.nn.functional.normalize(x.to(torch.float64), p=2.0, dim=1, eps=eps)
    return y.to(x.dtype)


def baseline(x, eps):
    """What a PyTorch user writes: F.normalize(p=2, dim=1) on a float32 copy."""
    # float32: in float16 eps = 1e-12 underflows to 0 (zero columns give 0/0) and the
    # norm's rounding to 16 bits adds a second error.
    return F.normalize(x.float(), p=2.0, dim=1, eps=eps).to(x.dtype)
