"""token_softmax_bloom: the softmax stage of decode attention over a padded score
buffer. logits is (B, H, L); request b has b_seq_len[b] valid positions, and the
positions after them are padding whose contents are arbitrary (here NaN, +-inf and
large finite values). For each (b, h):
    out[b, h, :n] = softmax(logits[b, h, :n]),  out[b, h, n:] = 0,  n = b_seq_len[b].
Computed in float64, returned in the logits' dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, l = case.dims["B"], case.dims["H"], case.dims["L"]
    # params: len gives every request that many valid positions (performance cases, so
    # that bytes are known; capped at L); std scales the scores (std 100: maxima of
    # several hundred, past float32's exp range).
    std = case.params.get("std", 1.0)
    if "len" in case.params:
        lens = torch.full((b,), min(int(case.params["len"]), l), dtype=torch.int64)
    else:
        # Lengths in [1, L]; one request of length L and (B > 1) one of length 1.
        lens = torch.randint(1, l + 1, (b,), generator=gen)
        pick = torch.randperm(b, generator=gen)
        lens[pick[0]] = l
        if b > 1:
            lens[pick[1]] = 1
    # Per-(request, head) offsets, so each row has its own max.
    logits = torch.randn(b, h, l, generator=gen) * std + torch.randn(b, h, 1, generator=gen) * 4 * std
    # Padding: NaN, +inf, -inf or 3e4 (finite in every dtype here), at random.
    junk = torch.tensor([float("nan"), float("inf"), float("-inf"), 3e4])
    fill = junk[torch.randint(0, 4, (b, h, l), generator=gen)]
    pad = torch.arange(l)[None, None, :] >= lens[:, None, None]
    logits = torch.where(pad, fill, logits)
    return [logits.to(case.dtype), lens.to(torch.int32)]


def reference(logits, b_seq_len):
    l = logits.shape[-1]
    valid = torch.arange(l, device=logits.device)[None, None, :] < b_seq_len.long()[:, None, None]
    x = logits.double().masked_fill(~valid, float("-inf"))
    p = torch.softmax(x, dim=-1).masked_fill(~valid, 0.0)
    return p.to(logits.dtype)


def baseline(logits, b_seq_len):
    """What a PyTorch user writes: mask the padding to -inf, then F.softmax."""
    l = logits.shape[-1]
    pad = torch.arange(l, device=logits.device) >= b_seq_len.long()[:, None, None]
    return F.softmax(logits.masked_fill(pad, float("-inf")), dim=-1)
