"""test_triton_sort: every row of a 2-D tensor x (M, N) sorted, ascending or descending
(values only; no NaN in the input)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    descending = bool(case.params.get("descending", 0))
    if case.dtype.is_floating_point:
        # Normal draws, rounded to a coarse grid in some cases (many ties), plus a few
        # +-inf, which must sort to the ends like the padding does.
        x = torch.randn(m, n, generator=gen)
        if case.params.get("ties", 0):
            x = torch.round(x * 2)
        special = torch.rand(m, n, generator=gen)
        x[special < 0.01] = float("inf")
        x[special > 0.99] = float("-inf")
        x = x.to(case.dtype)
    else:
        # The full range, including the extremes that the padding uses.
        info = torch.iinfo(case.dtype)
        x = torch.randint(info.min, info.max, (m, n), generator=gen, dtype=torch.int64)
        x[:, ::17] = info.max
        x[:, 5::23] = info.min
        x = x.to(case.dtype)
    return [x, descending]


def reference(x, descending):
    return torch.sort(x, dim=-1, descending=descending).values


# The reference is already what a PyTorch user writes.
baseline = reference
