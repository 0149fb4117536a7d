"""token_softmax_llama: the softmax stage of token-level decode attention. The scores of
a batch of requests are packed side by side in one (H, total_tokens) matrix: request b
owns columns b_start_loc[b] .. b_start_loc[b] + b_seq_len[b] - 1 (b_start_loc is the
exclusive prefix sum of b_seq_len). Each head's row is normalised separately within
every request's own columns:
    probs[h, s:s+n] = softmax(logits[h, s:s+n]),  s = b_start_loc[b], n = b_seq_len[b].
Computed in float64, returned in the logits' dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, l, h = case.dims["B"], case.dims["L"], case.dims["H"]
    # params: fixed = 1 gives every request exactly L columns (performance cases); std
    # scales the logits (std 100: maxima of several hundred, so exp without the row max
    # subtracted overflows even float32).
    std = case.params.get("std", 1.0)
    if case.params.get("fixed", 0):
        lens = torch.full((b,), l, dtype=torch.int64)
    else:
        # Lengths in [1, L]; one request of length L and (B > 1) one of length 1.
        lens = torch.randint(1, l + 1, (b,), generator=gen)
        pick = torch.randperm(b, generator=gen)
        lens[pick[0]] = l
        if b > 1:
            lens[pick[1]] = 1
    total = int(lens.sum())
    # Each request's scores get their own offset, so a max taken over the wrong columns
    # (another request, or the whole row) is noticeably off.
    offset = torch.randn(h, b, generator=gen) * 4 * std
    logits = torch.randn(h, total, generator=gen) * std
    logits += torch.repeat_interleave(offset, lens, dim=1)
    start = torch.cumsum(lens, 0) - lens
    return [logits.to(case.dtype), start.to(torch.int32), lens.to(torch.int32), int(lens.max())]


def reference(logits, b_start_loc, b_seq_len, max_len_in_batch):
    out = torch.empty_like(logits)
    for s, n in zip(b_start_loc.tolist(), b_seq_len.tolist()):
        out[:, s:s + n] = torch.softmax(logits[:, s:s + n].double(), dim=-1).to(logits.dtype)
    return out


def baseline(logits, b_start_loc, b_seq_len, max_len_in_batch):
    """What a PyTorch user writes: gather the requests' columns into a -inf padded
    (H, B, L) block, F.softmax over L, then pick the valid columns back."""
    h, total = logits.shape
    batch = b_seq_len.shape[0]
    p = torch.arange(max_len_in_batch, device=logits.device)
    cols = (b_start_loc.long()[:, None] + p).clamp(max=total - 1)    # (B, L)
    pad = p >= b_seq_len.long()[:, None]
    probs = F.softmax(logits[:, cols].masked_fill(pad, float("-inf")), dim=-1)
    # Packed column t is position t - b_start_loc[b] of its request b.
    req = torch.repeat_interleave(torch.arange(batch, device=logits.device),
                                  b_seq_len.long(), output_size=total)
    pos = torch.arange(total, device=logits.device) - b_start_loc.long()[req]
    return probs.reshape(h, batch * max_len_in_batch)[:, req * max_len_in_batch + pos]
