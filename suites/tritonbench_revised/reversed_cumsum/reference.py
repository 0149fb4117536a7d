"""reversed_cumsum: reverse (suffix) inclusive cumulative sum along T of x (B, H, T, D):
out[b, h, t, d] = sum of x[b, h, s, d] for t <= s < T, computed in float64 and returned
in x's dtype."""

import torch


def make_inputs(case, gen):
    b, h, t, d = case.dims["B"], case.dims["H"], case.dims["T"], case.dims["D"]
    # Mean 0.5 plus unit noise: suffix sums grow like (T - t) / 2 (at most 8192 in the
    # performance cases, inside float16's range), so a relative tolerance applies away
    # from the sequence end, and a dropped, doubled or leaked element (~0.5) shows.
    x = torch.randn(b, h, t, d, generator=gen, dtype=torch.float32) + 0.5
    return [x.to(case.dtype)]


def reference(x):
    return x.to(torch.float64).flip(2).cumsum(dim=2).flip(2).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: flip, cumsum, flip, accumulating in float32."""
    # dtype=float32: CUDA's cumsum otherwise adds 16-bit inputs in 16 bits, far off over
    # thousands of steps (a no-op for float32 inputs).
    return torch.cumsum(x.flip(2), dim=2, dtype=torch.float32).flip(2).to(x.dtype)
