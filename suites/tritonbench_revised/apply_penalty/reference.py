"""apply_penalty: in-place repetition / frequency / presence penalties on a batch of
next-token logits (B, V), as in LLM sampling. Sequence b owns the slice
cu_seqlens[b]:cu_seqlens[b+1] of token_ids (distinct vocabulary ids) and token_counts
(how often each id already occurred). For every such (b, t, c), with l = logits[b, t]
in float32:
    l = l / repetition[b] if l > 0 else l * repetition[b]
    logits[b, t] = l - c * frequency[b] - presence[b]   (rounded to logits' dtype)
All other logits are unchanged."""

import math

import torch


def make_inputs(case, gen):
    b, v, max_len = case.dims["B"], case.dims["V"], case.dims["L"]
    # Token counts per sequence: all equal to L when params.fixed_len is set (performance
    # cases, so the FLOP count is exact), else uniform in [0, L] with sequence 0 full
    # (L tokens) and sequence 1 empty (no tokens at all).
    if case.params.get("fixed_len", 0.0):
        lengths = torch.full((b,), max_len, dtype=torch.int64)
    else:
        lengths = torch.randint(0, max_len + 1, (b,), generator=gen)
        lengths[0] = max_len
        if b > 1:
            lengths[1] = 0
    cu_seqlens = torch.zeros(b + 1, dtype=torch.int64)
    cu_seqlens[1:] = torch.cumsum(lengths, 0)
    # Distinct ids within each sequence in scattered order: sequence b takes
    # (a_b * k + c_b) mod V for k < its length, with a_b coprime to V (a bijection of
    # 0..V-1, so no id repeats). Vectorized: far cheaper than a randperm per sequence.
    a = torch.randint(1, max(v, 2), (b,), generator=gen)
    for i in range(b):
        while math.gcd(int(a[i]), v) != 1:
            a[i] = (a[i] % (v - 1)) + 1 if v > 1 else 1
    c = torch.randint(0, v, (b,), generator=gen)
    k = torch.arange(max_len)
    ids = (a[:, None] * k[None, :] + c[:, None]) % v
    token_ids = ids[k[None, :] < lengths[:, None]]  # row-major: sequence by sequence
    token_counts = torch.randint(1, 33, (token_ids.numel(),), generator=gen, dtype=torch.int32)
    # Logits of both signs, with every 7th column exactly 0 (neither > 0 branch nor sign).
    logits = torch.randn(b, v, generator=gen, dtype=torch.float32) * 4.0
    logits[:, ::7] = 0.0
    repetition = 0.8 + 1.2 * torch.rand(b, generator=gen, dtype=torch.float32)  # [0.8, 2)
    frequency = torch.rand(b, generator=gen, dtype=torch.float32) * 0.5          # [0, 0.5)
    presence = torch.rand(b, generator=gen, dtype=torch.float32) * 2.0 - 1.0     # [-1, 1)
    # Every 4th sequence has neutral penalties (1, 0, 0): its logits must come back as they were.
    repetition[3::4] = 1.0
    frequency[3::4] = 0.0
    presence[3::4] = 0.0
    return [logits.to(case.dtype), token_ids.to(torch.int32), token_counts,
            cu_seqlens.to(torch.int32), repetition, frequency, presence]


def reference(logits, token_ids, token_counts, cu_seqlens, repetition, frequency, presence):
    lengths = (cu_seqlens[1:] - cu_seqlens[:-1]).to(torch.int64)
    rows = torch.repeat_interleave(torch.arange(logits.shape[0], device=logits.device), lengths)
    cols = token_ids.to(torch.int64)
    l = logits[rows, cols].to(torch.float32)
    r = repetition[rows]
    l = torch.where(l > 0, l / r, l * r)
    l = l - token_counts.to(torch.float32) * frequency[rows] - presence[rows]
    logits[rows, cols] = l.to(logits.dtype)


def baseline(logits, token_ids, token_counts, cu_seqlens, repetition, frequency, presence):
    """What a PyTorch user writes: gather the penalized logits, update them, scatter them back."""
    lengths = cu_seqlens[1:] - cu_seqlens[:-1]
    # output_size spares the host sync repeat_interleave needs to size its result.
    rows = torch.repeat_interleave(torch.arange(logits.shape[0], device=logits.device), lengths,
                                   output_size=token_ids.shape[0])
    cols = token_ids.long()
    l = logits[rows, cols].float()  # the penalties are float32; the spec rounds once at the end
    r = repetition[rows]
    l = torch.where(l > 0, l / r, l * r) - token_counts * frequency[rows] - presence[rows]
    logits[rows, cols] = l.to(logits.dtype)
