"""rotary_emb_nopad: rotary position embedding (rotate-half) on variable-length
sequences packed without padding. x (total_tokens, heads, head_dim) holds sequence b in
tokens [cu_seqlens[b], cu_seqlens[b + 1]); a token's position is its offset within its
sequence (restarting at 0 for every sequence). With cos, sin of shape
(max_seq, head_dim // 2) and halves x1, x2 of head_dim, a token at position p becomes
    (x1 * cos[p] - x2 * sin[p], x2 * cos[p] + x1 * sin[p]).
Computed in float32, returned in x's dtype."""

import torch

THETA = 10000.0


def make_inputs(case, gen):
    t, b, h, d = case.dims["T"], case.dims["B"], case.dims["H"], case.dims["D"]
    x = torch.randn(t, h, d, generator=gen, dtype=torch.float32).to(case.dtype)
    # b sequences summing to t tokens: b - 1 random cut points. params empty = 1 makes
    # the first sequence empty (cu_seqlens[0] == cu_seqlens[1]).
    cuts = torch.sort(torch.randint(1, t, (b - 1,), generator=gen)).values
    if case.params.get("empty", 0):
        cuts[0] = 0
    cu = torch.cat([torch.zeros(1, dtype=torch.int64), cuts, torch.full((1,), t)]).to(torch.int32)
    # The table covers any sequence of the batch (t positions, as a model's table covers
    # its longest context) plus params extra rows: its shape depends on the dims alone,
    # not on the drawn cut points, so every seed of a case gives the same shapes.
    max_seq = t + int(case.params.get("extra", 0))
    inv_freq = 1.0 / (THETA ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = torch.outer(torch.arange(max_seq, dtype=torch.float32), inv_freq)
    return [x, cu, angles.cos(), angles.sin()]


def reference(x, cu_seqlens, cos, sin):
    cu = cu_seqlens.to(torch.int64)
    lengths = cu[1:] - cu[:-1]
    # Position of each token: its index minus the start of its sequence.
    starts = torch.repeat_interleave(cu[:-1], lengths, output_size=x.shape[0])
    pos = torch.arange(x.shape[0], device=x.device) - starts
    half = x.shape[-1] // 2
    xf = x.to(torch.float32)
    x1, x2 = xf[..., :half], xf[..., half:]
    c, s = cos[pos][:, None, :], sin[pos][:, None, :]  # broadcast over heads
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1).to(x.dtype)


# The reference is already what a PyTorch user writes.
baseline = reference
