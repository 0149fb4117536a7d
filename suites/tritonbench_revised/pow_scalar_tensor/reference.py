"""pow_scalar_tensor: out = base ** x elementwise, for a positive Python float base and
a float tensor x (the scalar-base form of torch.pow), evaluated here in float64 from
the input values and returned in x's dtype."""

import torch


def make_inputs(case, gen):
    shape = [case.dims[k] for k in ("M", "N") if k in case.dims]
    # `scale` sets the exponents' spread, chosen per case so that every result stays a
    # normal number of the dtype (no overflow, no subnormal underflow).
    x = torch.randn(shape, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    flat = x.view(-1)
    flat[::13] = 0.0                              # base ** 0 = 1
    flat[5::17] = torch.round(flat[5::17])        # integer exponents
    return [x.to(case.dtype), float(case.params["base"])]


def reference(x, base):
    return torch.pow(torch.tensor(base, dtype=torch.float64), x.to(torch.float64)).to(x.dtype)


def baseline(x, base):
    """What a PyTorch user writes: torch.pow with a scalar base (float32 math inside for 16-bit x)."""
    return torch.pow(base, x)
