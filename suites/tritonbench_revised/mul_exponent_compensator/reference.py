"""mul_exponent_compensator: out[i, j] = x[i, j] * 2^k[i] for x (M, N) float32 / bfloat16 /
float16 and k (M,) int32, exact, in x's dtype: computed in float64 (where the product of a
normal x and 2^k, |k| <= 400, is exact), then
  inf / NaN x: unchanged;  +-0 or subnormal x: +-0;
  |result| above the format's largest finite value: +-inf;
  |result| below its smallest normal value: +-0 (flush to zero, sign kept)."""

import torch

SPECIALS = [0.0, -0.0, float("inf"), float("-inf"), float("nan")]


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    info = torch.finfo(case.dtype)
    # Magnitudes over 2^-12 .. 2^12, shifted by k in [-30, 30]: float16 results overflow and
    # flush often, float32 / bfloat16 ones only in the edge rows below.
    mag = torch.exp2(torch.empty(m, n).uniform_(-12.0, 12.0, generator=gen))
    x = (torch.randn(m, n, generator=gen) * mag).to(case.dtype)
    k = torch.randint(-30, 31, (m,), generator=gen, dtype=torch.int32)
    # Edge rows (where M allows): all overflow, all flush, k = 0, the int32 extremes.
    edge = torch.tensor([200, -200, 0, 2**31 - 1, -2**31], dtype=torch.int32)
    k[1:1 + min(m - 1, edge.numel())] = edge[:max(0, min(m - 1, edge.numel()))]
    # Special inputs at the front of row 0: zeros, infinities, NaN, the largest finite and
    # smallest normal values, and subnormals (read as zero).
    sub = info.smallest_normal / 4
    specials = SPECIALS + [info.max, -info.max, info.smallest_normal, -info.smallest_normal, sub, -sub]
    cnt = min(len(specials), n)
    x[0, :cnt] = torch.tensor(specials[:cnt], dtype=torch.float64).to(case.dtype)
    return [x, k]


def reference(x, k):
    info = torch.finfo(x.dtype)
    x64 = x.to(torch.float64)
    p = torch.exp2(k.to(torch.float64).clamp(-400, 400))[:, None]
    r = x64 * p
    zero = torch.copysign(torch.zeros_like(x64), x64)
    inf = torch.copysign(torch.full_like(x64, float("inf")), x64)
    r = torch.where(r.abs() > info.max, inf, r)
    r = torch.where(r.abs() < info.smallest_normal, zero, r)
    r = torch.where(x64.abs() < info.smallest_normal, zero, r)   # +-0 and subnormal inputs
    r = torch.where(torch.isfinite(x64), r, x64)                 # inf and NaN unchanged
    return r.to(x.dtype)


def baseline(x, k):
    """What a PyTorch user writes: torch.ldexp in float32, then the flush / inf rules with torch.where."""
    tiny = torch.finfo(x.dtype).smallest_normal
    # 2^k leaves float16's range for |k| > 15, so scale in float32, where these products
    # are exact; two factors 2^(k/2) stay finite (and exact) for every |k| < 254.
    xf = x.float()
    k = k[:, None]
    half = k // 2
    r = torch.ldexp(torch.ldexp(xf, half), k - half)
    zero = torch.zeros_like(xf).copysign(xf)
    r = torch.where((r.abs() < tiny) | (xf.abs() < tiny), zero, r)
    return torch.where(torch.isfinite(xf), r, xf).to(x.dtype)
