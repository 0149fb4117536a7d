"""fused_activation: bias add fused with exact (erf) GELU, as after an MLP up-projection:
    h = x + bias (bias broadcast over rows), out = 0.5 * h * (1 + erf(h / sqrt(2))),
computed with a float32 sum, the GELU in float64, returned in x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # `scale` widens x so the erf tails (outputs ~0 for h << 0, ~h for h >> 0) occur.
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    bias = torch.randn(n, generator=gen, dtype=torch.float32) * 0.5
    return [x.to(case.dtype), bias.to(case.dtype)]


def reference(x, bias):
    # The float32 sum, then GELU in float64 (rounded once at the end).
    h = (x.to(torch.float32) + bias.to(torch.float32)).to(torch.float64)
    return torch.nn.functional.gelu(h, approximate="none").to(x.dtype)


def baseline(x, bias):
    """What a PyTorch user writes: the erf GELU of x + bias in float32, rounded once."""
    # float32 as the task asks (a 16-bit x + bias, then GELU, would round twice); the
    # erf formula rather than F.gelu, whose CPU float32 erf is ~1e-6 off in the tails.
    h = x + bias.float()  # promotes to float32
    return (0.5 * h * (1.0 + torch.erf(h * 0.7071067811865476))).to(x.dtype)
