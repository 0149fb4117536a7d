"""int8_quantization: per-token (row-wise) symmetric int8 quantization of x (M, N):
    absmax[i] = max_j |x[i, j]|                          (float32)
    scale[i]  = absmax[i] / 127, or 1 where absmax[i] = 0 (float32)
    q[i, j]   = clamp(round_half_even(x[i, j] / scale[i]), -127, 127)   (int8)
Returns (q, scale)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # Row i is step[i] * v[i, :] with step a power of two in [2^-10, 2^2] and v in
    # [-127, 127], one element exactly +-127 (the absmax). scale is then exactly step in
    # IEEE arithmetic (and within an ulp or two of it under a GPU's approximate division),
    # and x / scale = v. Elements whose v lies within 1/32 of a rounding tie (k + 1/2) are
    # moved to trunc(v), an integer, so every correct kernel gets the same int8 whatever
    # its division's last-ulp error, while truncation or floor instead of rounding fails
    # (most fractions are above 1/2). The dtype cast keeps x = step * v exact: v is
    # rounded to the dtype before the tie check.
    v = (torch.rand(m, n, generator=gen) * 2.0 - 1.0) * 127.0
    peak = torch.randint(0, n, (m,), generator=gen)
    sign = torch.where(torch.rand(m, generator=gen) < 0.5, -1.0, 1.0)
    v.scatter_(1, peak[:, None], (127.0 * sign)[:, None])
    step = torch.exp2(torch.randint(-10, 3, (m, 1), generator=gen).to(torch.float32))
    v = v.to(case.dtype).to(torch.float32)
    frac = v.abs() - v.abs().floor()
    v = torch.where((frac - 0.5).abs() < 1.0 / 32, v.trunc(), v)
    x = v * step
    # Edge rows: row 0 all zeros (scale 1, q 0), and every 7th row from row 3 a single
    # nonzero element (all other codes 0).
    if m > 1:
        x[0] = 0.0
    single = x[3::7]
    keep = torch.zeros_like(single, dtype=torch.bool)
    keep.scatter_(1, peak[3::7, None], True)
    x[3::7] = torch.where(keep, single, torch.zeros_like(single))
    return [x.to(case.dtype)]


def reference(x):
    xf = x.to(torch.float32)
    absmax = xf.abs().amax(dim=1)
    scale = torch.where(absmax > 0, absmax / 127.0, torch.ones_like(absmax))
    # torch.round rounds halves to even.
    q = torch.round(xf / scale[:, None]).clamp(-127, 127).to(torch.int8)
    return q, scale


# The reference is already what a PyTorch user writes.
baseline = reference
