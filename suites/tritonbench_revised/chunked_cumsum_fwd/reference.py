"""chunked_cumsum_fwd: global inclusive cumulative sum along T of x (B, H, T):
out[b, h, t] = sum of x[b, h, s] for 0 <= s <= t. Float32 output whatever x's dtype;
the reference sums in float64."""

import torch


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    # Mean 0.5 plus unit noise: the prefix sums grow like t / 2, so a relative tolerance
    # applies past the first few positions, and a dropped or doubled element, or a missing
    # chunk carry (~T/2), is an error far above it.
    x = torch.randn(b, h, t, generator=gen, dtype=torch.float32) + 0.5
    return [x.to(case.dtype)]


def reference(x):
    return x.to(torch.float64).cumsum(dim=-1).to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: torch.cumsum with a float32 accumulator."""
    return torch.cumsum(x, dim=-1, dtype=torch.float32)
