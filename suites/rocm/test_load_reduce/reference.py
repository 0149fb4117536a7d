"""test_load_reduce: the maximum of a 2-D tensor x (M, N) along one axis:
axis=1 gives out[i] = max_j x[i, j] (shape (M,)), axis=0 gives out[j] = max_i x[i, j]
(shape (N,)), in x's dtype (exact)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    axis = int(case.params.get("axis", 1))
    stride = int(case.params.get("stride", n))
    if case.dtype.is_floating_point:
        # Mostly negative values (so a padding value of 0 would win the max), with a
        # sprinkling of -inf, and some rows/columns entirely -inf.
        buf = (torch.randn(m, stride, generator=gen) - 4.0).to(case.dtype)
        buf[torch.rand(m, stride, generator=gen) < 0.05] = float("-inf")
        if m > 2 and n > 2:
            buf[m // 2, :] = float("-inf")
            buf[:, n // 2] = float("-inf")
    else:
        # The full range (some maxima near iinfo.min for short reductions).
        info = torch.iinfo(case.dtype)
        buf = torch.randint(info.min, info.max, (m, stride), generator=gen, dtype=torch.int64).to(case.dtype)
        buf[0, :] = info.min
    return [buf[:, :n], axis]


def reference(x, axis):
    return torch.amax(x, dim=axis)


# The reference is already what a PyTorch user writes.
baseline = reference
