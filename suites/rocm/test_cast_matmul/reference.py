"""test_cast_matmul: C = A @ B with mixed operand dtypes. One of A (M, K) and B (K, N)
is float32, the other float16 or bfloat16 (case.dtype, the compute dtype). The float32
operand is rounded to the compute dtype, the product is taken in float64, and C is
returned in the compute dtype."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # params: b_fp32=1 makes B the float32 operand (A the 16-bit one); default A.
    b_fp32 = case.params.get("b_fp32", 0.0) != 0.0
    # A carries a 1/sqrt(K) factor so C ~ N(0, 1) for every K. The float32 operand keeps
    # all 24 mantissa bits, so its rounding to 16 bits really happens.
    a = torch.randn(m, k, generator=gen) / math.sqrt(k)
    b = torch.randn(k, n, generator=gen)
    if b_fp32:
        a = a.to(case.dtype)
    else:
        b = b.to(case.dtype)
    return [a, b]


def reference(a, b):
    dt = b.dtype if a.dtype == torch.float32 else a.dtype
    return (a.to(dt).double() @ b.to(dt).double()).to(dt)


def baseline(a, b):
    """What a PyTorch user writes: cast the float32 operand to the 16-bit one's dtype, matmul."""
    dt = b.dtype if a.dtype == torch.float32 else a.dtype
    return a.to(dt) @ b.to(dt)
