"""quantize_kv_copy: quantize the K (or V) vectors of T new tokens to int8 with one
scale per (token, head) and scatter them into a token-slot int8 cache:
    absmax[t, h]  = max_d |x[t, h, d]|                               (float32, exact)
    scale[t, h]   = absmax[t, h] / 127                                (float32)
    v             = x[t, h, d] * 127 / absmax[t, h]                   (float32)
    q[t, h, d]    = clamp(sign(v) * floor(|v| + 0.5), -127, 127)      (int8, half away from 0)
    out_cache[dest[t]] = q[t],  out_scale[dest[t]] = scale[t]
(absmax 0 gives q = 0 and scale 0). The outputs are new tensors: copies of cache and
cache_scale with the dest slots overwritten; the inputs stay unchanged."""

import torch


def make_inputs(case, gen):
    t, h, d, s = case.dims["T"], case.dims["H"], case.dims["D"], case.dims["S"]
    # Per-(token, head) magnitudes from 0.1 to 10, one outlier channel per head (x8),
    # and an all-zero head vector for token 0, head 0 (absmax 0).
    x = torch.randn(t, h, d, generator=gen, dtype=torch.float32)
    x *= torch.pow(10.0, torch.rand(t, h, 1, generator=gen) * 2.0 - 1.0)
    x[:, :, torch.randint(0, d, (1,), generator=gen)] *= 8.0
    x[0, 0] = 0.0
    x = x.to(case.dtype)
    # Elements whose exact v lies within 1e-3 of a rounding tie (k + 1/2) are set to 0:
    # a GPU's float32 division may be a few ulps off (Triton's `/` is approximate on
    # NVIDIA; ~2e-5 absolute at |v| = 127), which could move such an element across the
    # tie. Every remaining element then has one correct code whatever the float32
    # operation order, while truncation, floor or 16-bit arithmetic (errors ~0.06) fail.
    xd = x.to(torch.float64)
    amax = xd.abs().amax(dim=2, keepdim=True)
    v = (xd * 127.0 / torch.where(amax > 0, amax, torch.ones_like(amax))).abs()
    x[((v - v.floor()) - 0.5).abs() < 1e-3] = 0
    dest = torch.randperm(s, generator=gen)[:t].to(torch.int64)
    # Old cache contents: arbitrary codes and positive scales, which must survive in
    # the slots not written.
    cache = torch.randint(-127, 128, (s, h, d), generator=gen, dtype=torch.int8)
    cache_scale = torch.rand(s, h, generator=gen, dtype=torch.float32) * 0.1 + 1e-3
    return [x, dest, cache, cache_scale]


def reference(x, dest, cache, cache_scale):
    xd = x.to(torch.float64)
    amax = xd.abs().amax(dim=2)
    safe = torch.where(amax > 0, amax, torch.ones_like(amax))
    v = xd * 127.0 / safe[:, :, None]
    q = (torch.sign(v) * torch.floor(v.abs() + 0.5)).clamp(-127, 127).to(torch.int8)
    out_cache = cache.clone()
    out_scale = cache_scale.clone()
    out_cache[dest] = q
    out_scale[dest] = (amax.to(torch.float32) / 127.0)
    return out_cache, out_scale


def baseline(x, dest, cache, cache_scale):
    """What a PyTorch user writes: per-(token, head) absmax quantization, then index_copy into copies of the caches."""
    absmax = x.abs().amax(dim=2).float()                                 # (T, H)
    # float32 as specified: 16-bit arithmetic is ~0.06 off at |v| = 127.
    v = x.float() * 127.0 / torch.where(absmax > 0, absmax, 1.0)[:, :, None]
    q = torch.floor(v.abs() + 0.5).copysign(v).clamp(-127, 127).to(torch.int8)
    return cache.index_copy(0, dest, q), cache_scale.index_copy(0, dest, absmax / 127.0)
