"""matmul_dequantize: W8A16 with a per-tensor affine uint8 weight. x (M, K) bfloat16,
q (K, N) uint8, scale and zero Python floats: w = (q - zero) * scale computed in float32
and rounded to bfloat16; out = x @ w accumulated in float32, returned as bfloat16."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # x ~ N(0, 1/K); q - zero has std ~74 and scale is ~1/74: w ~ 1, out ~ N(0, 1).
    x = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(torch.bfloat16)
    q = torch.randint(0, 256, (k, n), generator=gen, dtype=torch.uint8)
    # Edge rows: 0 and 255 across a whole row (above 127: a signed load would be wrong).
    q[0, :] = 0
    q[-1, :] = 255
    # A fractional zero point near the middle of the range (float32-representable).
    zero = float(torch.tensor(120.0 + 16.0 * torch.rand(1, generator=gen).item()).float())
    scale = float(torch.tensor((0.5 + torch.rand(1, generator=gen).item()) / 74.0).float())
    return [x, q, scale, zero]


def reference(x, q, scale, zero):
    w = ((q.to(torch.float32) - zero) * scale).to(torch.bfloat16)
    return (x.to(torch.float32) @ w.to(torch.float32)).to(torch.bfloat16)


def baseline(x, q, scale, zero):
    """What a PyTorch user writes: dequantize the weight to bfloat16, then a bfloat16 matmul."""
    # The spec dequantizes in float32 before the one rounding to bfloat16.
    w = ((q.to(torch.float32) - zero) * scale).to(torch.bfloat16)
    return x @ w
