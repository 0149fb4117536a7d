"""test_reverse_range: out = a copy of the 1-D tensor x (N,) with the elements of the
range [lo, hi) in reverse order: out[i] = x[lo + hi - 1 - i] for lo <= i < hi, and
out[i] = x[i] elsewhere (0 <= lo <= hi <= N). Values are moved bit for bit."""

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    # params: lo and hi (hi < 0 counts from the end: hi = N + 1 + hi, so -1 means N).
    lo = int(case.params.get("lo", 0))
    hi = int(case.params.get("hi", -1))
    if hi < 0:
        hi = n + 1 + hi
    if case.dtype.is_floating_point:
        x = torch.randn(n, generator=gen).to(case.dtype)
    else:
        # The dtype's full range, so a detour through float32 would lose low bits.
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, (n,), generator=gen, dtype=torch.int64).to(case.dtype)
    return [x, lo, hi]


def reference(x, lo, hi):
    out = x.clone()
    out[lo:hi] = torch.flip(x[lo:hi], dims=[0])
    return out


# The reference is already what a PyTorch user writes.
baseline = reference
