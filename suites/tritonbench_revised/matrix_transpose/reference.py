"""matrix_transpose: out = x.T materialized: out[j, i] = x[i, j] for a 2-D x (M, N),
any dtype (a pure copy)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    if case.dtype.is_floating_point:
        x = torch.randn(m, n, generator=gen).to(case.dtype)
    else:
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, (m, n), generator=gen, dtype=torch.int64).to(case.dtype)
    return [x]


def reference(x):
    return x.t().contiguous()


# The reference is already what a PyTorch user writes.
baseline = reference
