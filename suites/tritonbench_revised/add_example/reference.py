"""add_example: out = x + y elementwise for two same-shape contiguous tensors of any
rank, float (float32 / float16 / bfloat16, one rounding of the exact sum) or int32
(exact, wrapping on overflow)."""

import torch


def make_inputs(case, gen):
    shape = [case.dims[k] for k in ("D0", "D1", "D2", "D3") if k in case.dims]
    if case.dtype.is_floating_point:
        x = torch.randn(shape, generator=gen, dtype=torch.float32).to(case.dtype)
        y = torch.randn(shape, generator=gen, dtype=torch.float32).to(case.dtype)
    else:
        # Magnitudes up to 2^30: past float32's 2^24 exact-integer range (a detour through
        # float would lose low bits) while sums stay inside int32.
        x = torch.randint(-(1 << 30), 1 << 30, shape, generator=gen, dtype=torch.int64).to(case.dtype)
        y = torch.randint(-(1 << 30), 1 << 30, shape, generator=gen, dtype=torch.int64).to(case.dtype)
    return [x, y]


def reference(x, y):
    if x.dtype.is_floating_point:
        return (x.to(torch.float32) + y.to(torch.float32)).to(x.dtype)
    return x + y


def baseline(x, y):
    """What a PyTorch user writes: x + y (16-bit adds already compute in float32 and round once)."""
    return x + y
