"""quantize_copy_kv: quantize the keys AND values of T new tokens to int8 with one scale
per group of 64 consecutive head-dim elements, and scatter both into token-slot caches.
For x in (k, v), g = d // 64 and G = D / 64 groups:
    absmax[t, h, g] = max over the group of |x[t, h, d]|                 (float32, exact)
    scale[t, h, g]  = absmax[t, h, g] / 127                               (float32)
    q[t, h, d]      = clamp(round_half_away(x[t, h, d] * 127 / absmax[t, h, g]), -127, 127)
    out_cache[dest[t]] = q[t],  out_scale[dest[t]] = scale[t]
(absmax 0 gives q = 0 and scale 0). Returns new copies of the four caches with the
dest slots overwritten: (k_cache, v_cache, k_scale, v_scale)."""

import torch

GROUP = 64


def _draw(gen, t, h, d, dtype):
    # Per-(token, head) magnitudes 0.1..10, one outlier channel (x8), and the first
    # group of token 0, head 0 all zeros (absmax 0).
    x = torch.randn(t, h, d, generator=gen, dtype=torch.float32)
    x *= torch.pow(10.0, torch.rand(t, h, 1, generator=gen) * 2.0 - 1.0)
    x[:, :, torch.randint(0, d, (1,), generator=gen)] *= 8.0
    x[0, 0, :GROUP] = 0.0
    x = x.to(dtype)
    # Elements whose exact value * 127 / absmax lies within 1e-3 of a rounding tie
    # (k + 1/2) are set to 0: a GPU's float32 division may be a few ulps off (Triton's
    # `/` is approximate on NVIDIA; ~2e-5 absolute at 127), which could move such an
    # element across the tie. Every remaining element then has one correct code
    # whatever the float32 operation order; truncation or 16-bit arithmetic fail.
    xg = x.to(torch.float64).reshape(t, h, d // GROUP, GROUP)
    amax = xg.abs().amax(dim=3, keepdim=True)
    v = (xg * 127.0 / torch.where(amax > 0, amax, torch.ones_like(amax))).abs()
    near = (((v - v.floor()) - 0.5).abs() < 1e-3).reshape(t, h, d)
    x[near] = 0
    return x


def make_inputs(case, gen):
    t, h, d, s = case.dims["T"], case.dims["H"], case.dims["D"], case.dims["S"]
    k = _draw(gen, t, h, d, case.dtype)
    v = _draw(gen, t, h, d, case.dtype)
    dest = torch.randperm(s, generator=gen)[:t].to(torch.int64)
    # Old cache contents, which must survive in the slots not written.
    k_cache = torch.randint(-127, 128, (s, h, d), generator=gen, dtype=torch.int8)
    v_cache = torch.randint(-127, 128, (s, h, d), generator=gen, dtype=torch.int8)
    k_scale = torch.rand(s, h, d // GROUP, generator=gen, dtype=torch.float32) * 0.1 + 1e-3
    v_scale = torch.rand(s, h, d // GROUP, generator=gen, dtype=torch.float32) * 0.1 + 1e-3
    return [k, v, dest, k_cache, v_cache, k_scale, v_scale]


def _quantize(x):
    t, h, d = x.shape
    xg = x.to(torch.float64).reshape(t, h, d // GROUP, GROUP)
    amax = xg.abs().amax(dim=3)
    safe = torch.where(amax > 0, amax, torch.ones_like(amax))
    v = xg * 127.0 / safe[..., None]
    q = (torch.sign(v) * torch.floor(v.abs() + 0.5)).clamp(-127, 127).to(torch.int8)
    return q.reshape(t, h, d), amax.to(torch.float32) / 127.0


def reference(k, v, dest, k_cache, v_cache, k_scale, v_scale):
    outs = []
    for x, cache, scale in ((k, k_cache, k_scale), (v, v_cache, v_scale)):
        q, sc = _quantize(x)
        new_cache, new_scale = cache.clone(), scale.clone()
        new_cache[dest] = q
        new_scale[dest] = sc
        outs.append((new_cache, new_scale))
    return outs[0][0], outs[1][0], outs[0][1], outs[1][1]


def baseline(k, v, dest, k_cache, v_cache, k_scale, v_scale):
    """What a PyTorch user writes: per-group absmax quantization of k and v, then index_copy into copies of the caches."""
    t, h, d = k.shape
    outs = []
    for x, cache, scale in ((k, k_cache, k_scale), (v, v_cache, v_scale)):
        xg = x.view(t, h, d // GROUP, GROUP)
        absmax = xg.abs().amax(dim=3).float()                            # (T, H, G)
        # float32 as specified: 16-bit arithmetic is ~0.06 off at |v| = 127.
        vals = xg.float() * 127.0 / torch.where(absmax > 0, absmax, 1.0)[..., None]
        q = torch.floor(vals.abs() + 0.5).copysign(vals).clamp(-127, 127).to(torch.int8)
        outs.append((cache.index_copy(0, dest, q.view(t, h, d)), scale.index_copy(0, dest, absmax / 127.0)))
    return outs[0][0], outs[1][0], outs[0][1], outs[1][1]
