"""flash_decode2_llama: stage 2 of split-K flash decoding (Llama-style decode): combines
per-split partial attention outputs into the final one. For request b, head h, split s:
mid_o[b, h, s] (D,) float32 is the attention output over the split's keys (already
normalised within the split) and mid_lse[b, h, s] the log-sum-exp of its scores. Split s
covers positions s*block_seq .. (s+1)*block_seq - 1, so request b has
n_b = ceil(b_seq_len[b] / block_seq) valid splits; the rest hold garbage (NaN, +inf).
    LSE = logsumexp_{s < n_b} mid_lse[b, h, s]
    out[b, h] = sum_{s < n_b} exp(mid_lse[b, h, s] - LSE) * mid_o[b, h, s]
computed in float64, returned as a new (B, H, D) tensor of out_dtype."""

import math

import torch


def draw_seq_lens(b, smax, bs, params, gen):
    """Lengths in [1, smax]. params: seq = n gives every request n tokens (performance
    cases: a fixed number of valid splits). Otherwise random, with (as b allows) a
    single token (one valid split), exactly smax (all splits valid) and a multiple of
    block_seq (the last valid split full)."""
    if params.get("seq", 0):
        return torch.full((b,), int(params["seq"]), dtype=torch.int64)
    lens = torch.randint(1, smax + 1, (b,), generator=gen)
    pick = torch.randperm(b, generator=gen)
    specials = [smax, 1, bs * int(torch.randint(1, smax // bs + 1, (1,), generator=gen))]
    for i, val in zip(pick.tolist(), specials):
        lens[i] = val
    return lens


def make_inputs(case, gen):
    b, h, nsplit, d = case.dims["B"], case.dims["H"], case.dims["NSPLIT"], case.dims["D"]
    # params: BS = block_seq (not a dim: the hidden x2 case keeps it; smax = NSPLIT * BS
    # grows with NSPLIT); std, the spread of the split scores; shift, an offset of every
    # log-sum-exp (+-100: exp(lse) alone overflows / underflows float32); real = 1 builds
    # the partials from an actual decode attention (float32 q, k, v) instead of drawing
    # them directly.
    bs = int(case.params["BS"])
    std = case.params.get("std", 1.0)
    shift = case.params.get("shift", 0.0)
    lens = draw_seq_lens(b, nsplit * bs, bs, case.params, gen)
    pos = torch.arange(nsplit * bs).reshape(nsplit, bs)
    in_seq = pos[None] < lens[:, None, None]                         # (B, NSPLIT, BS)
    if case.params.get("real", 0):
        q = torch.randn(b, h, d, generator=gen)
        k = torch.randn(b, h, nsplit * bs, d, generator=gen)
        v = torch.randn(b, h, nsplit * bs, d, generator=gen)
        scores = torch.einsum("bhd,bhnd->bhn", q, k) * (std / math.sqrt(d))
        scores = scores.reshape(b, h, nsplit, bs).masked_fill(~in_seq[:, None], float("-inf"))
        mid_lse = torch.logsumexp(scores, -1) + shift
        mid_o = torch.einsum("bhsn,bhsnd->bhsd", torch.softmax(scores, -1),
                             v.reshape(b, h, nsplit, bs, d))
    else:
        # A split of n tokens whose scores spread by std has lse ~ log(n) + max score;
        # its output is a convex combination of values, ~N(0, 1/2) here.
        n_tok = in_seq.sum(-1).clamp_min(1).to(torch.float32)          # (B, NSPLIT)
        mid_lse = torch.log(n_tok)[:, None] + std * torch.randn(b, h, nsplit, generator=gen) + shift
        mid_o = torch.randn(b, h, nsplit, d, generator=gen) * 0.7
    # Splits past the request's end: garbage a kernel must not read into the result.
    n_valid = (lens + bs - 1) // bs
    invalid = (torch.arange(nsplit)[None, :] >= n_valid[:, None])[:, None].expand(b, h, nsplit)
    junk_lse = torch.where(torch.arange(nsplit) % 2 == 0, float("nan"), float("inf"))
    mid_lse = torch.where(invalid, junk_lse.expand(b, h, nsplit), mid_lse)
    mid_o = mid_o.masked_fill(invalid[..., None], float("nan"))
    return [mid_o.contiguous(), mid_lse.contiguous(), lens.to(torch.int32), bs, case.dtype]


def reference(mid_o, mid_lse, b_seq_len, block_seq, out_dtype):
    nsplit = mid_o.shape[2]
    n_valid = (b_seq_len.to(torch.int64) + block_seq - 1) // block_seq
    valid = (torch.arange(nsplit, device=mid_o.device)[None, :] < n_valid[:, None])[:, None, :]
    lse = torch.where(valid, mid_lse.double(), torch.full((), float("-inf"), dtype=torch.float64,
                                                           device=mid_o.device))
    w = torch.exp(lse - torch.logsumexp(lse, -1, keepdim=True))            # 0 where invalid
    o = torch.where(valid[..., None], mid_o.double(), torch.zeros((), dtype=torch.float64,
                                                                   device=mid_o.device))
    return (w[..., None] * o).sum(2).to(out_dtype)


def baseline(mid_o, mid_lse, b_seq_len, block_seq, out_dtype):
    """What a PyTorch user writes: a masked softmax over the splits' lse in float32."""
    nsplit = mid_o.shape[2]
    n_valid = (b_seq_len + block_seq - 1) // block_seq
    valid = (torch.arange(nsplit, device=mid_o.device)[None, :] < n_valid[:, None])[:, None, :]
    w = torch.softmax(mid_lse.masked_fill(~valid, float("-inf")), dim=-1)   # 0 where invalid
    o = mid_o.masked_fill(~valid[..., None], 0.0)                          # drop NaN garbage
    return (w[..., None] * o).sum(2).to(out_dtype)
