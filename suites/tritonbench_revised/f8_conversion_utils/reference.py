"""f8_conversion_utils: q = e4m3fn(clamp(float32(x) / scale, -448, 448)) as uint8 bit
patterns: x (M, N) float32 / bfloat16 / float16, scale (1,) float32; the division in
float32 (IEEE), the conversion rounding to nearest (ties to even) with torch's own
float8_e4m3fn cast; NaN gives 0x7F, +-inf saturate to +-448 (0x7E / 0xFE)."""

import math

import torch

FP8 = torch.float8_e4m3fn


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # Log-uniform magnitudes over 2^-14 .. 2^6 (times N(0, 1)): after scaling they cover
    # the e4m3 subnormals (< 2^-6), underflow to 0, and the normal range.
    mag = torch.exp2(torch.empty(m * n).uniform_(-14.0, 6.0, generator=gen))
    x = torch.randn(m * n, generator=gen) * mag
    # The scale: absmax / 448 (an arbitrary float32, the usual recipe) times params.headroom
    # (< 1: the largest values saturate); params.pow2 = 1 rounds it to a power of two, and
    # then every 8th element is an exact midpoint between two e4m3 values (ties to even).
    scale = x.abs().max().item() / 448.0 * case.params.get("headroom", 1.0)
    if case.params.get("pow2", 0):
        scale = 2.0 ** round(math.log2(scale))
        codes = torch.randint(0, 0x7E, (x[::8].numel(),), generator=gen, dtype=torch.int32)
        lo = codes.to(torch.uint8).view(FP8).float()
        hi = (codes + 1).to(torch.uint8).view(FP8).float()
        sign = torch.randint(0, 2, codes.shape, generator=gen).float() * 2 - 1
        x[::8] = sign * (lo + hi) / 2 * scale
    # Special values at the front: zeros, infinities, NaN, saturating and underflowing values,
    # exactly +-448 * scale.
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 500.0 * scale, -1e30, 1e-30, -1e-30,
                448.0 * scale, -448.0 * scale]
    k = min(len(specials), x.numel())
    x[:k] = torch.tensor(specials[:k])
    return [x.reshape(m, n).to(case.dtype), torch.tensor([scale], dtype=torch.float32)]


def reference(x, scale):
    v = x.to(torch.float32) / scale
    q = v.clamp(-448.0, 448.0).to(FP8).view(torch.uint8)
    return torch.where(torch.isnan(v), torch.full_like(q, 0x7F), q)


# The reference is already what a PyTorch user writes.
baseline = reference
