"""swiglu_backward: gradients of out = silu(gate) * up with silu(a) = a * sigmoid(a):
    d_up   = grad_out * silu(gate)
    d_gate = grad_out * up * sigmoid(gate) * (1 + gate * (1 - sigmoid(gate)))
evaluated here in float64 from the inputs and returned in the inputs' dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    scale = case.params.get("scale", 1.0)  # widens the gate so the sigmoid saturates
    grad_out = torch.randn(m, n, generator=gen, dtype=torch.float32)
    gate = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale
    up = torch.randn(m, n, generator=gen, dtype=torch.float32)
    return [grad_out.to(case.dtype), gate.to(case.dtype), up.to(case.dtype)]


def reference(grad_out, gate, up):
    dy, a, b = grad_out.double(), gate.double(), up.double()
    s = torch.sigmoid(a)
    d_up = dy * a * s
    d_gate = dy * b * s * (1.0 + a * (1.0 - s))
    return d_gate.to(gate.dtype), d_up.to(up.dtype)


def baseline(grad_out, gate, up):
    """What a PyTorch user writes: the SwiGLU backward formulas, in float32."""
    # float32 for 16-bit inputs (as fused SwiGLU backwards do): 1 + gate * (1 - s) and
    # the product chain, each rounded to 16 bits, drift past the tolerance.
    dy, a, b = grad_out.float(), gate.float(), up.float()
    s = torch.sigmoid(a)
    d_up = dy * a * s
    d_gate = dy * b * s * (1.0 + a * (1.0 - s))
    return d_gate.to(gate.dtype), d_up.to(up.dtype)
