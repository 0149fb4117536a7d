"""swiglu_triton: SwiGLU on separate gate and up tensors of the same shape,
    out = silu(gate) * up,   silu(a) = a * sigmoid(a),
evaluated here in float64 from the inputs and returned in their dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    shape = [case.dims[k] for k in ("B", "T", "H") if k in case.dims]
    gate = torch.randn(shape, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    up = torch.randn(shape, generator=gen, dtype=torch.float32)
    return [gate.to(case.dtype), up.to(case.dtype)]


def reference(gate, up):
    a = gate.double()
    return (a * torch.sigmoid(a) * up.double()).to(gate.dtype)


def baseline(gate, up):
    """What a PyTorch user writes: F.silu(gate) * up."""
    return F.silu(gate) * up
