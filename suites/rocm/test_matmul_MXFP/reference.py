"""test_matmul_MXFP: C = A @ W^T, W (N, K) given in MXFP4: w_packed (N, K/2) uint8 with
two FP4 E2M1 codes per byte (element 2j in the low nibble of byte j, 2j+1 in the high
nibble) and w_scales (N, K/32) uint8 E8M0 exponents, W[n, k] = e2m1(code) *
2^(w_scales[n, k // 32] - 127). A (M, K) is float16 or bfloat16. Computed in float64
and returned in A's dtype."""

import math

import torch

# E2M1 magnitudes for codes 0..7; bit 3 is the sign.
_E2M1 = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0], dtype=torch.float64)


def dequantize(w_packed, w_scales):
    lo = (w_packed & 0xF).long()
    hi = (w_packed >> 4).long()
    codes = torch.stack([lo, hi], dim=-1).reshape(w_packed.shape[0], -1)  # (N, K)
    vals = _E2M1.to(codes.device)[codes & 7] * torch.where(codes >= 8, -1.0, 1.0).double()
    scale = torch.exp2(w_scales.double() - 127.0).repeat_interleave(32, dim=1)
    return vals * scale


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    a = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    # Every code (both zeros, subnormal +-0.5, up to +-6) with equal odds.
    w_packed = torch.randint(0, 256, (n, k // 2), generator=gen, dtype=torch.int32).to(torch.uint8)
    # Scales 2^-6 .. 2^2 (E8M0 121..129): dequantized weights stay exact and in range
    # in float16 and bfloat16 (|W| <= 24, smallest nonzero 2^-7).
    w_scales = torch.randint(121, 130, (n, k // 32), generator=gen, dtype=torch.int32).to(torch.uint8)
    return [a, w_packed, w_scales]


def reference(a, w_packed, w_scales):
    w = dequantize(w_packed, w_scales)
    return (a.double() @ w.t()).to(a.dtype)


def baseline(a, w_packed, w_scales):
    """What a PyTorch user writes: dequantize W to a.dtype (lookup table, block scales), a @ w.t()."""
    n = w_packed.shape[0]
    lut = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0,
                        -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0],
                       dtype=a.dtype, device=a.device)
    codes = torch.stack([w_packed & 0xF, w_packed >> 4], dim=-1).reshape(n, -1)
    scale = torch.exp2(w_scales.float() - 127.0).to(a.dtype)
    w = (lut[codes.long()].view(n, -1, 32) * scale[:, :, None]).view(n, -1)
    return a @ w.t()
