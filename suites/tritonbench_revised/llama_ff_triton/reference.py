"""llama_ff_triton: out = silu(x @ W1) * (x @ W3) for x (M, D) and W1, W3 (D, F), with
silu(h) = h * sigmoid(h); computed in float64 and returned in x's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, d, f = case.dims["M"], case.dims["D"], case.dims["F"]
    # x carries a 1/sqrt(D) factor so both products are ~N(0, 1) for every D (the gate
    # sees both signs and the saturating tails of silu); params.scale (default 1)
    # multiplies W1 to push the gate further into them (|x @ W1| up to ~50 at 10).
    scale = case.params.get("scale", 1.0)
    x = (torch.randn(m, d, generator=gen) / math.sqrt(d)).to(case.dtype)
    w1 = (torch.randn(d, f, generator=gen) * scale).to(case.dtype)
    w3 = torch.randn(d, f, generator=gen).to(case.dtype)
    return [x, w1, w3]


def reference(x, w1, w3):
    xd = x.double()
    h1 = xd @ w1.double()
    h3 = xd @ w3.double()
    return (torch.nn.functional.silu(h1) * h3).to(x.dtype)


def baseline(x, w1, w3):
    """What a PyTorch user writes: two matmuls and F.silu in the inputs' dtype."""
    return F.silu(x @ w1) * (x @ w3)
