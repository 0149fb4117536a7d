"""test_triton_flip: reverse a 2-D tensor along its last dimension,
out[i, j] = x[i, N - 1 - j], for any dtype (a pure copy: values are not changed)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    if case.dtype.is_floating_point:
        x = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    else:
        # The dtype's full range, so a detour through float32 would lose low bits.
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, (m, n), generator=gen, dtype=torch.int64).to(case.dtype)
    return [x]


def reference(x):
    # torch.flip copies, so the result never shares storage with x.
    return torch.flip(x, dims=[-1])


# The reference is already what a PyTorch user writes.
baseline = reference
