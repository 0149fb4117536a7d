"""test_chained_dot_fp8: two chained products on FP8 E4M3 (e4m3fn) operands with
per-tensor float32 scales:
    T  = (A_q @ B_q) * a_scale * b_scale
    Tq = e4m3fn(clamp(T / t_scale, -448, 448))      (round to nearest even)
    D  = (Tq @ C_q) * t_scale * c_scale
A_q (M, K), B_q (K, N1), C_q (N1, N2); products in float64; D returned in out_dtype
(float16 or bfloat16, case.dtype)."""

import math

import torch

FP8 = torch.float8_e4m3fn
FP8_MAX = 448.0


def _quantize(x):
    """Per-tensor absmax quantization: (fp8 tensor, float32 scale of shape (1,))."""
    scale = x.abs().max().clamp_min(1e-12) / FP8_MAX
    return (x / scale).clamp(-FP8_MAX, FP8_MAX).to(FP8), scale.reshape(1).to(torch.float32)


def make_inputs(case, gen):
    m, k = case.dims["M"], case.dims["K"]
    n1, n2 = case.dims["N1"], case.dims["N2"]
    # Real-valued operands scaled so T and D are ~N(0, 1), then quantized per tensor.
    a_q, a_s = _quantize(torch.randn(m, k, generator=gen) / math.sqrt(k))
    b_q, b_s = _quantize(torch.randn(k, n1, generator=gen))
    c_q, c_s = _quantize(torch.randn(n1, n2, generator=gen) / math.sqrt(n1))
    # A static (calibrated) scale for T: |T| up to 6 maps onto the fp8 range; the rare
    # larger values saturate. params: t_range overrides the 6 (small = heavy clamping).
    t_range = case.params.get("t_range", 6.0)
    t_s = torch.tensor([t_range / FP8_MAX], dtype=torch.float32)
    return [a_q, b_q, c_q, a_s, b_s, c_s, t_s, case.dtype]


def reference(a, b, c, a_scale, b_scale, c_scale, t_scale, out_dtype):
    t = (a.double() @ b.double()) * a_scale.double() * b_scale.double()
    t_q = (t / t_scale.double()).clamp(-FP8_MAX, FP8_MAX).to(FP8)
    d = (t_q.double() @ c.double()) * t_scale.double() * c_scale.double()
    return d.to(out_dtype)


def baseline(a, b, c, a_scale, b_scale, c_scale, t_scale, out_dtype):
    """What a PyTorch user writes: upcast fp8, matmul, requantize T, dequantize, matmul."""
    # T in float32 (fp8 values are exact there), as the spec's float32 accumulator: a T
    # rounded to 16 bits first lands on the other fp8 neighbour far more often (errors
    # in D up to ~0.15 of atol 0.3 seen on the CPU).
    t = (a.float() @ b.float()) * (a_scale * b_scale)
    t_q = (t / t_scale).clamp(-FP8_MAX, FP8_MAX).to(FP8)
    # Dequantized in float32, rounded once to out_dtype; D accumulates in float32 inside
    # the 16-bit matmul.
    return (t_q.float() * t_scale).to(out_dtype) @ (c.float() * c_scale).to(out_dtype)
