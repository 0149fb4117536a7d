"""chunk_cumsum_kernel: within-chunk inclusive cumulative sum along T of g (B, H, T):
T is cut into chunks of C consecutive positions (the last one may be shorter) and
out[b, h, t] = sum of g[b, h, s] for s from the start of t's chunk, C * (t // C), to t.
Float32 in, float32 out; the reference sums in float64."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    c = int(case.params["C"])
    # Standard-normal values (mixed signs) rather than log-gates: a sum that leaks across
    # a chunk boundary or drops an element shows as an error of order 1.
    g = torch.randn(b, h, t, generator=gen, dtype=torch.float32)
    return [g.to(case.dtype), c]


def reference(g, chunk_size):
    b, h, t = g.shape
    n_chunks = -(-t // chunk_size)
    pad = n_chunks * chunk_size - t
    x = torch.nn.functional.pad(g.to(torch.float64), (0, pad))
    y = x.reshape(b, h, n_chunks, chunk_size).cumsum(dim=-1).reshape(b, h, -1)[..., :t]
    return y.to(torch.float32)


def baseline(g, chunk_size):
    """What a PyTorch user writes: pad T to whole chunks, cumsum within each chunk, in float32."""
    b, h, t = g.shape
    n_chunks = -(-t // chunk_size)
    x = F.pad(g, (0, n_chunks * chunk_size - t))
    return x.view(b, h, n_chunks, chunk_size).cumsum(dim=-1).view(b, h, -1)[..., :t]
