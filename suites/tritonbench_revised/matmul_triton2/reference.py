"""matmul_triton2: out = A @ W^T (+ bias), a linear layer, for bfloat16 A (M, K) and
W (N, K) and an optional float32 bias (N,); computed in float64, returned in bfloat16."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A carries a 1/sqrt(K) factor so A @ W^T ~ N(0, 1) for every K; the bias (param
    # bias=1, default 0 passes None) is N(0, 1) too.
    a = (torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)).to(case.dtype)
    w = torch.randn(n, k, generator=gen, dtype=torch.float32).to(case.dtype)
    bias = None
    if case.params.get("bias", 0.0) != 0.0:
        bias = torch.randn(n, generator=gen, dtype=torch.float32)
    return [a, w, bias]


def reference(a, weight, bias=None):
    out = a.double() @ weight.double().t()
    if bias is not None:
        out = out + bias.double()
    return out.to(a.dtype)


def baseline(a, weight, bias=None):
    """What a PyTorch user writes: F.linear in bfloat16; with the float32 bias, a float32-output GEMM plus the bias."""
    if bias is None:
        return F.linear(a, weight)
    # Rounding the product (or the bias) to bfloat16 before the add is off by an ulp of the
    # larger addend where they cancel, far outside the tolerance: keep the product in
    # float32 (mm's out_dtype; it is CUDA-only, so the CPU takes a float32 GEMM).
    if a.is_cuda:
        out = torch.mm(a, weight.t(), out_dtype=torch.float32)
    else:
        out = a.float() @ weight.float().t()
    return (out + bias).to(a.dtype)
