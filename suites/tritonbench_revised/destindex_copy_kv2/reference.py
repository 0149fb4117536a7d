"""destindex_copy_kv2: quantize the K vectors of N tokens to int8 with one scale per
(token, head) and scatter them into an int8 token-indexed cache plus a float32 scale
cache:
    scale = max_d |k[i, h, d]| / 127            (float32)
    q     = round(k[i, h, d] / scale)            (half away from zero; 0 where scale = 0)
    cache_q[dest_loc[i], h, :] = q,  cache_scale[dest_loc[i], h] = scale."""

import torch


def make_inputs(case, gen):
    n, h, d, s = case.dims["N"], case.dims["H"], case.dims["D"], case.dims["S"]
    # Each (token, head) vector is step * v with step a power of two in [2^-10, 2^-2] and
    # v on a 1/16 grid: one element is exactly +-127 (the absmax, so the scale is exactly
    # `step`), the others are an integer in [-126, 126] plus a fraction in
    # {-14/16, ..., 14/16} except +-8/16. k / scale is then exact in float16 and float32
    # and at least 1/16 away from a rounding tie, so every correct kernel (approximate
    # division included) gets the same int8, while truncation or floor would differ.
    base = torch.randint(-126, 127, (n, h, d), generator=gen).to(torch.float32)
    allowed = torch.tensor([f for f in range(-14, 15) if abs(f) != 8], dtype=torch.float32)
    frac = allowed[torch.randint(0, allowed.numel(), (n, h, d), generator=gen)]
    v = base + frac / 16.0
    peak = torch.randint(0, d, (n, h), generator=gen)
    sign = torch.where(torch.rand(n, h, generator=gen) < 0.5, -1.0, 1.0)
    v.scatter_(2, peak[:, :, None], (127.0 * sign)[:, :, None])
    step = torch.exp2(torch.randint(-10, -1, (n, h), generator=gen).to(torch.float32))
    k = v * step[:, :, None]
    # Edge: about one (token, head) in 16 is all zeros (scale 0, quantized to 0).
    zero = torch.rand(n, h, generator=gen) < 1.0 / 16
    zero[-1, -1] = n * h > 1  # at least one, unless that is the only vector
    k[zero] = 0.0
    k = k.to(case.dtype)
    cache_q = torch.randint(-128, 128, (s, h, d), generator=gen, dtype=torch.int8)
    cache_scale = torch.rand(s, h, generator=gen)
    dest_loc = torch.randperm(s, generator=gen)[:n].to(torch.int64)
    return [k, dest_loc, cache_q, cache_scale]


def reference(k, dest_loc, cache_q, cache_scale):
    x = k.to(torch.float32)
    scale = x.abs().amax(dim=-1) / 127.0
    y = torch.where(scale[..., None] > 0, x / scale[..., None].clamp_min(1e-30), torch.zeros_like(x))
    q = (torch.sign(y) * torch.floor(y.abs() + 0.5)).clamp(-127, 127).to(torch.int8)
    cache_q[dest_loc] = q
    cache_scale[dest_loc] = scale


# The reference is already what a PyTorch user writes.
baseline = reference
