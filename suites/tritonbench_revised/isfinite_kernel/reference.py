"""isfinite_kernel: out = isfinite(x) elementwise (True unless x is +inf, -inf or NaN),
for a (M, N) floating-point tensor; the output is a torch.bool tensor."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    x = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    flat = x.view(-1)
    info = torch.finfo(case.dtype)
    # Scatter the edge values over random positions (later kinds overwrite earlier ones):
    # non-finite ones (+inf, -inf, NaN, including a negative-signed NaN) and finite ones
    # that a careless test gets wrong (the largest finite value of each sign, the
    # smallest subnormal, and signed zeros).
    specials = [float("inf"), float("-inf"), float("nan"), -float("nan"),
                info.max, -info.max, info.smallest_normal * 2.0 ** -3, 0.0, -0.0]
    count = max(1, flat.numel() // 50)
    for v in specials:
        idx = torch.randint(0, flat.numel(), (count,), generator=gen)
        flat[idx] = torch.tensor(v, dtype=case.dtype)
    if flat.numel() > 1:
        flat[-1] = float("nan")  # the last element sits in the masked tail of a block
    return [x]


def reference(x):
    return torch.isfinite(x)


# The reference is already what a PyTorch user writes.
baseline = reference
