"""reversed_cumsum_scalar: within-chunk reverse (suffix) inclusive cumulative sum along T
of x (B, H, T): T is cut into chunks of C consecutive positions (the last one may be
shorter) and out[b, h, t] = sum of x[b, h, s] for s from t to the end of t's chunk,
min(C * (t // C + 1), T) - 1. Float32 output whatever x's dtype; the reference sums in
float64."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    c = int(case.params["C"])
    # Standard-normal values: a sum leaking across a chunk boundary, a forward instead of
    # a reverse scan, or a dropped element errs by ~1.
    x = torch.randn(b, h, t, generator=gen, dtype=torch.float32)
    return [x.to(case.dtype), c]


def reference(x, chunk_size):
    b, h, t = x.shape
    n_chunks = -(-t // chunk_size)
    pad = n_chunks * chunk_size - t
    # Zero padding sits after the last valid position, so it adds nothing to a suffix sum.
    y = torch.nn.functional.pad(x.to(torch.float64), (0, pad)).reshape(b, h, n_chunks, chunk_size)
    y = y.flip(-1).cumsum(dim=-1).flip(-1).reshape(b, h, -1)[..., :t]
    return y.to(torch.float32)


def baseline(x, chunk_size):
    """What a PyTorch user writes: pad T to whole chunks, flip-cumsum-flip per chunk in float32."""
    b, h, t = x.shape
    n_chunks = -(-t // chunk_size)
    pad = n_chunks * chunk_size - t
    y = F.pad(x, (0, pad)) if pad else x
    y = y.reshape(b, h, n_chunks, chunk_size).flip(-1)
    # The output is float32 whatever x's dtype: accumulate in it.
    y = torch.cumsum(y, dim=-1, dtype=torch.float32).flip(-1)
    return y.reshape(b, h, -1)[..., :t]
