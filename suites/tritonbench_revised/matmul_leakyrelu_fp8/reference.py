"""matmul_leakyrelu_fp8: C = leaky_relu((A @ B) * a_scale * b_scale, negative_slope) for
A (M, K) and B (K, N) in float8_e4m3fn (B column-major: the transpose of a contiguous
(N, K) weight) and per-tensor float32 scales of shape (1,); computed in float64 from the
exact fp8 values and returned as float16."""

import math

import torch
import torch.nn.functional as F

FP8 = torch.float8_e4m3fn
FP8_MAX = 448.0


def _quantize(x):
    """Per-tensor absmax quantization: (fp8 tensor, float32 scale of shape (1,))."""
    scale = x.abs().max().clamp_min(1e-12) / FP8_MAX
    return (x / scale).clamp(-FP8_MAX, FP8_MAX).to(FP8), scale.reshape(1).to(torch.float32)


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # params.slope: the negative slope (default 0.01, leaky_relu's default).
    slope = case.params.get("slope", 0.01)
    # Real activations (with a 1/sqrt(K) factor, so A @ B ~ N(0, 1) for every K) and a
    # weight, each quantized per tensor by its absmax: both reach +-448 and about half of
    # the outputs take each branch of the activation.
    a_q, a_s = _quantize(torch.randn(m, k, generator=gen) / math.sqrt(k))
    w_q, w_s = _quantize(torch.randn(n, k, generator=gen))
    return [a_q, w_q.t(), a_s, w_s, slope]


def reference(a, b, a_scale, b_scale, negative_slope=0.01):
    pre = (a.double() @ b.double()) * a_scale.double() * b_scale.double()
    return torch.nn.functional.leaky_relu(pre, negative_slope).to(torch.float16)


def baseline(a, b, a_scale, b_scale, negative_slope=0.01):
    """What a PyTorch user writes: cast the fp8 operands up, a bfloat16 matmul, then scale and F.leaky_relu."""
    # No public fp8 matmul: e4m3 values are exact in bfloat16, whose range (unlike
    # float16's) also holds the unscaled product; scales and activation in float32 as
    # the spec applies them.
    acc = a.to(torch.bfloat16) @ b.to(torch.bfloat16)
    return F.leaky_relu(acc.float() * (a_scale * b_scale), negative_slope).to(torch.float16)
