"""test_kernel_sub: out = x - alpha * y elementwise (torch.sub with alpha) for two (M, N)
tensors of the same dtype whose rows may be padded; computed in float32, returned
contiguous in x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: alpha (default 1); sx / sy (>= N) are the row pitches of the buffers x and
    # y are column slices of; same=1 makes y = x (with alpha 1 the result is exactly 0).
    alpha = case.params.get("alpha", 1.0)
    sx = int(case.params.get("sx", n))
    sy = int(case.params.get("sy", n))
    x = torch.randn(m, sx, generator=gen).to(case.dtype)[:, :n]
    y = torch.randn(m, sy, generator=gen).to(case.dtype)[:, :n]
    if case.params.get("same", 0):
        y = x.clone()
    return [x, y, alpha]


def reference(x, y, alpha):
    return (x.to(torch.float32) - alpha * y.to(torch.float32)).to(x.dtype)


def baseline(x, y, alpha):
    """What a PyTorch user writes: torch.sub with alpha in the inputs' dtype."""
    return torch.sub(x, y, alpha=alpha)
