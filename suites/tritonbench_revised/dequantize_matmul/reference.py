"""dequantize_matmul: x (M, K) float16/bfloat16 times a symmetric int8 weight with
per-group float32 scales (group 128 along K): W[k, n] = qweight[k, n] * scales[k // 128, n]
computed in float32 and rounded to x's dtype; out = x @ W accumulated in float32,
returned in x's dtype."""

import math

import torch

GROUP = 128


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # x ~ N(0, 1/K); q has std ~74 and scales are 0.007 - 0.02: W ~ 1, out ~ N(0, 1).
    x = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    q = torch.randint(-128, 128, (k, n), generator=gen, dtype=torch.int8)
    # Edge rows: the int8 extremes -128 and 127 across a whole row.
    q[0, :] = -128
    q[-1, :] = 127
    scales = (0.5 + torch.rand(k // GROUP, n, generator=gen)) / 74.0
    return [x, q, scales]


def reference(x, qweight, scales):
    w = (qweight.to(torch.float32) * scales.repeat_interleave(GROUP, dim=0)).to(x.dtype)
    return (x.to(torch.float32) @ w.to(torch.float32)).to(x.dtype)


def baseline(x, qweight, scales):
    """What a PyTorch user writes: dequantize W in float32, round to x's dtype, x @ W."""
    k, n = qweight.shape
    w = qweight.view(k // GROUP, GROUP, n).float() * scales[:, None, :]
    return x @ w.view(k, n).to(x.dtype)
