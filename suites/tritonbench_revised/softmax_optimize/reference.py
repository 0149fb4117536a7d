"""softmax_optimize: causal scaled softmax of attention scores x (B, H, Sq, Sk), Sq <= Sk,
queries aligned to the last Sq keys:
    z[b, h, i, j] = scale * x[b, h, i, j]  if j <= i + (Sk - Sq)  else -inf,
    y = softmax(z) over j (masked entries are exactly 0),
computed in float64 from x's values and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, sq, sk = case.dims["B"], case.dims["H"], case.dims["Sq"], case.dims["Sk"]
    # params: std of the raw scores (8 by default, like q.k for head dim 64-128), and
    # `scale` (default 1/sqrt(128)). std 1e3 with scale 0.3 gives scaled scores of
    # hundreds: exp overflows float32 unless the row max is subtracted.
    std = case.params.get("std", 8.0)
    scale = case.params.get("scale", 128 ** -0.5)
    x = torch.randn(b, h, sq, sk, generator=gen, dtype=torch.float32) * std
    return [x.to(case.dtype), scale]


def reference(x, scale):
    sq, sk = x.shape[-2], x.shape[-1]
    i = torch.arange(sq, device=x.device)[:, None]
    j = torch.arange(sk, device=x.device)[None, :]
    z = (x.to(torch.float64) * scale).masked_fill(j > i + (sk - sq), float("-inf"))
    return torch.softmax(z, dim=-1).to(x.dtype)


def baseline(x, scale):
    """What a PyTorch user writes: masked_fill with a causal mask, then F.softmax."""
    sq, sk = x.shape[-2], x.shape[-1]
    future = torch.ones(sq, sk, dtype=torch.bool, device=x.device).triu_(sk - sq + 1)
    # Scaled in float32: scaled scores of 16-bit x rounded back to 16 bits lose up to
    # 2^-9 of their size (hundreds for large scores) before the exp.
    z = (x.float() * scale).masked_fill_(future, float("-inf"))
    return F.softmax(z, dim=-1).to(x.dtype)
