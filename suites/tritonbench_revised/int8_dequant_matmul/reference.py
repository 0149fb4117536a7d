"""int8_dequant_matmul (W8A16): out = x @ (w * scale[None, :]) for activations x (M, K)
in float16/bfloat16, int8 weights w (K, N) and per-output-channel float32 scales (N,),
computed in float32 and returned in x's dtype."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # x ~ N(0, 1/K) and dequantized weights w * scale in [-c, c] with c in [0.5, 1.5]:
    # every output is then ~N(0, 0.4) whatever K is, so one tolerance fits every case.
    x = (torch.randn(m, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    w = torch.randint(-127, 128, (k, n), generator=gen, dtype=torch.int8)
    scale = (0.5 + torch.rand(n, generator=gen)) / 127.0
    # Edge: column 0 of w is all +127 (every weight at the int8 extreme) and the last
    # column has scale 0 (an all-zero output column).
    w[:, 0] = 127
    scale[-1] = 0.0
    return [x, w, scale]


def reference(x, w, scale):
    return (x.to(torch.float32) @ (w.to(torch.float32) * scale[None, :])).to(x.dtype)


def baseline(x, w, scale):
    """What a PyTorch user writes: x @ w.to(x.dtype) in 16-bit, then the per-channel scale."""
    # int8 values are exact in float16/bfloat16; the scale commutes with the sum over K.
    return (torch.matmul(x, w.to(x.dtype)) * scale).to(x.dtype)
