"""add_value: out = x + value for a contiguous float tensor x of any shape and a Python
float value, computed in float32 (value rounded to float32) and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    shape = [case.dims[k] for k in ("D0", "D1", "D2") if k in case.dims]
    x = torch.randn(shape, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    return [x.to(case.dtype), float(case.params["value"])]


def reference(x, value):
    return (x.to(torch.float32) + torch.tensor(value, dtype=torch.float32)).to(x.dtype)


def baseline(x, value):
    """What a PyTorch user writes: x + value (a Python scalar is applied in float32 and rounded once)."""
    return x + value
