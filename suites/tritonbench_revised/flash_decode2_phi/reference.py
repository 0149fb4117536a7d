"""flash_decode2_phi: stage 2 of split-K flash decoding from unnormalised partials, as a
Phi-style decoder (head_dim 80 or 96) produces them. For request b, head h, split s
(positions s*block_seq .. (s+1)*block_seq - 1) with scores x_j:
    mid_max[b, h, s] = m_s = max_j x_j
    mid_sum[b, h, s] = sum_j exp(x_j - m_s)
    mid_acc[b, h, s] = sum_j exp(x_j - m_s) v_j          (D,)
Request b has n_b = ceil(b_seq_len[b] / block_seq) valid splits; the rest hold garbage.
With M = max_{s < n_b} m_s:
    out[b, h] = sum_s exp(m_s - M) mid_acc[b, h, s] / sum_s exp(m_s - M) mid_sum[b, h, s]
computed in float64, returned as a new (B, H, D) tensor of out_dtype."""

import math

import torch


def draw_seq_lens(b, smax, bs, params, gen):
    """Lengths in [1, smax]. params: seq = n gives every request n tokens (performance
    cases: a fixed number of valid splits). Otherwise random, with (as b allows) exactly
    smax (all splits valid), a single token (one valid split of one token) and a
    multiple of block_seq plus one (a last split of one token)."""
    if params.get("seq", 0):
        return torch.full((b,), int(params["seq"]), dtype=torch.int64)
    lens = torch.randint(1, smax + 1, (b,), generator=gen)
    pick = torch.randperm(b, generator=gen)
    specials = [smax, 1, 1 + bs * int(torch.randint(0, smax // bs, (1,), generator=gen))]
    for i, val in zip(pick.tolist(), specials):
        lens[i] = val
    return lens


def make_inputs(case, gen):
    b, h, nsplit, d = case.dims["B"], case.dims["H"], case.dims["NSPLIT"], case.dims["D"]
    # params: BS = block_seq (not a dim: the hidden x2 case keeps it); std, the spread
    # of the split maxima; shift, an offset of every score (+-100: exp(m_s) alone
    # overflows / underflows float32); real = 1 builds the partials from an actual
    # float32 decode attention instead of drawing them directly.
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
        x = torch.einsum("bhd,bhnd->bhn", q, k) * (std / math.sqrt(d)) + shift
        x = x.reshape(b, h, nsplit, bs).masked_fill(~in_seq[:, None], float("-inf"))
        mid_max = x.amax(-1)
        p = torch.exp(x - mid_max[..., None])                         # NaN in empty splits
        mid_sum = p.sum(-1)
        mid_acc = torch.einsum("bhsn,bhsnd->bhsd", p, v.reshape(b, h, nsplit, bs, d))
    else:
        # A split of n tokens: its maximum term is 1, so its sum lies in [1, n] and its
        # accumulator is sum times a convex combination of values (~N(0, 1/2) here).
        n_tok = in_seq.sum(-1).clamp_min(1).to(torch.float32)[:, None]  # (B, 1, NSPLIT)
        mid_max = std * torch.randn(b, h, nsplit, generator=gen) + shift
        mid_sum = 1.0 + (n_tok - 1.0) * torch.rand(b, h, nsplit, generator=gen)
        mid_acc = mid_sum[..., None] * torch.randn(b, h, nsplit, d, generator=gen) * 0.7
    # Splits past the request's end: garbage a kernel must not read into the result.
    n_valid = (lens + bs - 1) // bs
    invalid = (torch.arange(nsplit)[None, :] >= n_valid[:, None])[:, None].expand(b, h, nsplit)
    junk = torch.where(torch.arange(nsplit) % 2 == 0, float("nan"), float("inf")).expand(b, h, nsplit)
    mid_max = torch.where(invalid, junk, mid_max)
    mid_sum = torch.where(invalid, junk.flip(-1), mid_sum)
    mid_acc = mid_acc.masked_fill(invalid[..., None], float("nan"))
    return [mid_acc.contiguous(), mid_max.contiguous(), mid_sum.contiguous(), lens.to(torch.int32),
            bs, case.dtype]


def reference(mid_acc, mid_max, mid_sum, b_seq_len, block_seq, out_dtype):
    nsplit = mid_acc.shape[2]
    n_valid = (b_seq_len.to(torch.int64) + block_seq - 1) // block_seq
    valid = (torch.arange(nsplit, device=mid_acc.device)[None, :] < n_valid[:, None])[:, None, :]
    m = torch.where(valid, mid_max.double(), torch.full((), float("-inf"), dtype=torch.float64,
                                                         device=mid_acc.device))
    w = torch.exp(m - m.amax(-1, keepdim=True))                            # 0 where invalid
    zero = torch.zeros((), dtype=torch.float64, device=mid_acc.device)
    den = (w * torch.where(valid, mid_sum.double(), zero)).sum(-1)
    num = (w[..., None] * torch.where(valid[..., None], mid_acc.double(), zero)).sum(2)
    return (num / den[..., None]).to(out_dtype)


def baseline(mid_acc, mid_max, mid_sum, b_seq_len, block_seq, out_dtype):
    """What a PyTorch user writes: float32 rescale of the valid splits by exp(m_s - M)."""
    nsplit = mid_acc.shape[2]
    n_valid = (b_seq_len + block_seq - 1) // block_seq
    valid = (torch.arange(nsplit, device=mid_acc.device)[None, :] < n_valid[:, None])[:, None, :]
    m = mid_max.masked_fill(~valid, float("-inf"))
    w = torch.exp(m - m.amax(-1, keepdim=True))                            # 0 where invalid
    # Garbage (NaN, inf) zeroed first: 0 * inf would be NaN.
    den = (w * mid_sum.masked_fill(~valid, 0.0)).sum(-1)
    num = (w[..., None] * mid_acc.masked_fill(~valid[..., None], 0.0)).sum(2)
    return (num / den[..., None]).to(out_dtype)
