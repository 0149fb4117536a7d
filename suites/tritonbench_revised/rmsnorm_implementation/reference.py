"""rmsnorm_implementation: RMS normalization without a weight over the last (head) dim
of a contiguous (B, H, S, D) tensor, as QK-norm applies it to each head's vector:
    out[b, h, s, :] = x[b, h, s, :] / sqrt(mean_d x[b, h, s, d]^2 + eps).
Computed in float64 and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = (case.dims[k] for k in ("B", "H", "S", "D"))
    # params: scale multiplies the draws (query/key activations can be large: 30 in
    # float16 makes squares reach ~1e4 and a row's sum of squares pass float16's 65504,
    # fine only if squared and summed in float32); zero_heads=1 zeroes every fifth
    # (b, h, s) vector (output exactly 0; eps keeps 0 / 0 away); eps defaults to 1e-6.
    x = torch.randn(b, h, s, d, generator=gen) * case.params.get("scale", 1.0)
    if case.params.get("zero_heads", 0):
        x.view(-1, d)[0::5] = 0.0
    return [x.to(case.dtype), case.params.get("eps", 1e-6)]


def reference(x, eps):
    xd = x.to(torch.float64)
    rstd = torch.rsqrt(xd.square().mean(dim=-1, keepdim=True) + eps)
    return (xd * rstd).to(x.dtype)


def baseline(x, eps):
    """What a PyTorch user writes: F.rms_norm without a weight (float32 statistics inside)."""
    return F.rms_norm(x, (x.shape[-1],), eps=eps)
