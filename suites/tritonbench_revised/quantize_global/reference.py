"""quantize_global: per-tensor symmetric int8 quantization of x (M, N):
    absmax  = max_{i,j} |x[i, j]|                                  (0-d float32, exact)
    v       = x[i, j] * 127 / absmax                               (float32)
    q[i, j] = clamp(sign(v) * floor(|v| + 0.5), -127, 127)         (int8, half away from 0)
An all-zero x (absmax 0) gives q = 0. Returns (q, absmax)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * 3.0
    # A few outliers anywhere (up to 30x), so the maximum sits in one random tile;
    # param zero=1 makes the whole tensor zero (absmax 0).
    k = max(1, (m * n) // 5000)
    idx = torch.randint(0, m * n, (k,), generator=gen)
    x.view(-1)[idx] *= 1.0 + 29.0 * torch.rand(k, generator=gen)
    if case.params.get("zero", 0):
        x.zero_()
    x = x.to(case.dtype)
    # Elements whose exact v lies within 1e-3 of a rounding tie (k + 1/2) are set to 0:
    # a GPU's float32 division may be a few ulps off (Triton's `/` is approximate on
    # NVIDIA; ~2e-5 absolute at |v| = 127), which could move such an element across the
    # tie. Every remaining element then has one correct code whatever the float32
    # operation order, while truncation, floor or float16 arithmetic (errors ~0.06) fail.
    xd = x.to(torch.float64)
    amax = xd.abs().max()
    if amax > 0:
        v = (xd * 127.0 / amax).abs()
        x[((v - v.floor()) - 0.5).abs() < 1e-3] = 0
    return [x]


def reference(x):
    xd = x.to(torch.float64)
    amax = xd.abs().max()
    v = xd * 127.0 / amax if amax > 0 else torch.zeros_like(xd)
    q = (torch.sign(v) * torch.floor(v.abs() + 0.5)).clamp(-127, 127).to(torch.int8)
    return q, amax.to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: absmax, scale, round half away from zero, clamp, cast."""
    absmax = x.abs().amax().float()
    # float32 as specified: 16-bit arithmetic is ~0.06 off at |v| = 127.
    v = x.float() * 127.0 / absmax
    v = torch.where(absmax > 0, v, 0.0)          # absmax 0: all zeros, without a host sync
    q = torch.floor(v.abs() + 0.5).copysign(v).clamp(-127, 127).to(torch.int8)
    return q, absmax
