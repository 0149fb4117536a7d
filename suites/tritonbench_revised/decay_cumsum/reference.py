"""decay_cumsum: cumulative decay factors of log-decays g (B, H, T) within chunks of 64
positions (the last one may be shorter):
    out[b, h, t] = exp(sum of g[b, h, s] for 64 * (t // 64) <= s <= t).
Float32 in and out; the reference sums and exponentiates in float64."""

import torch

CHUNK = 64


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    # Log-space gates g = logsigmoid(x) / div, x standard normal, so every g < 0 (a decay
    # factor in (0, 1)). params: div (default 16, the usual gate scaling: chunk sums about
    # -3, factors down to ~0.01); div = 1 gives strong decays (chunk sums down to about
    # -70, factors down to ~1e-30, still normal float32).
    div = case.params.get("div", 16.0)
    x = torch.randn(b, h, t, generator=gen, dtype=torch.float32)
    g = torch.nn.functional.logsigmoid(x) / div
    return [g.to(case.dtype)]


def reference(g):
    b, h, t = g.shape
    n_chunks = -(-t // CHUNK)
    pad = n_chunks * CHUNK - t
    x = torch.nn.functional.pad(g.to(torch.float64), (0, pad))
    s = x.reshape(b, h, n_chunks, CHUNK).cumsum(dim=-1).reshape(b, h, -1)[..., :t]
    return torch.exp(s).to(torch.float32)


def baseline(g):
    """What a PyTorch user writes: pad T to whole chunks, cumsum per chunk, exp (float32)."""
    b, h, t = g.shape
    n_chunks = -(-t // CHUNK)
    x = torch.nn.functional.pad(g, (0, n_chunks * CHUNK - t))
    s = x.view(b, h, n_chunks, CHUNK).cumsum(dim=-1).view(b, h, -1)[..., :t]
    return torch.exp(s)
