"""swiglu_fwd: SwiGLU on a packed gate/up projection (vLLM-style silu_and_mul):
x is (M, 2H) with the gate in columns [0, H) and up in [H, 2H);
    out[i, j] = silu(x[i, j]) * x[i, H + j],   silu(a) = a * sigmoid(a),
evaluated here in float64 from the inputs and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, h = case.dims["M"], case.dims["H"]
    x = torch.randn(m, 2 * h, generator=gen, dtype=torch.float32)
    x[:, :h] *= case.params.get("scale", 1.0)  # widens the gate so the sigmoid saturates
    return [x.to(case.dtype)]


def reference(x):
    h = x.shape[1] // 2
    a, b = x[:, :h].double(), x[:, h:].double()
    return (a * torch.sigmoid(a) * b).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: F.silu on the gate half times the up half."""
    h = x.shape[1] // 2
    return F.silu(x[:, :h]) * x[:, h:]
