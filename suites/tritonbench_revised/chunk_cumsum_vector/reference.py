"""chunk_cumsum_vector: within-chunk inclusive cumulative sum along T of g (B, T, H, D):
T is cut into chunks of C consecutive positions (the last one may be shorter) and
out[b, t, h, d] = sum of g[b, s, h, d] for s from C * (t // C) to t; every (b, h, d) is
independent. Float32 output whatever g's dtype; the reference sums in float64."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, t, h, d = case.dims["B"], case.dims["T"], case.dims["H"], case.dims["D"]
    c = int(case.params["C"])
    # Standard-normal values: a sum leaking across a chunk boundary, or across (h, d)
    # columns, shows as an error of order 1.
    g = torch.randn(b, t, h, d, generator=gen, dtype=torch.float32)
    return [g.to(case.dtype), c]


def reference(g, chunk_size):
    b, t, h, d = g.shape
    n_chunks = -(-t // chunk_size)
    pad = n_chunks * chunk_size - t
    x = torch.nn.functional.pad(g.to(torch.float64), (0, 0, 0, 0, 0, pad))
    y = x.reshape(b, n_chunks, chunk_size, h, d).cumsum(dim=2).reshape(b, -1, h, d)[:, :t]
    return y.to(torch.float32)


def baseline(g, chunk_size):
    """What a PyTorch user writes: pad T to whole chunks, torch.cumsum(dtype=float32) within each."""
    b, t, h, d = g.shape
    n_chunks = -(-t // chunk_size)
    x = F.pad(g, (0, 0, 0, 0, 0, n_chunks * chunk_size - t)).view(b, n_chunks, chunk_size, h, d)
    # dtype=float32: the output's dtype; it also accumulates 16-bit inputs in float32.
    return torch.cumsum(x, dim=2, dtype=torch.float32).view(b, -1, h, d)[:, :t]
