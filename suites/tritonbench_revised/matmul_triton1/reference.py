"""matmul_triton1: C = A @ B for strided A (M, K) and B (K, N), computed in float64 and
returned in the inputs' dtype as a new contiguous tensor."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # Layouts (params, default a_colmajor=0, b_colmajor=1): a row-major A and a
    # column-major B, i.e. B = Bt.t() with Bt a contiguous (N, K) tensor (b.stride() ==
    # (1, K)). Other layouts check that the strides are honoured; all are dense views,
    # whose strides survive the harness's copies to the device.
    a_col = case.params.get("a_colmajor", 0.0) != 0.0
    b_col = case.params.get("b_colmajor", 1.0) != 0.0
    # A carries a 1/sqrt(K) factor so C ~ N(0, 1) for every K: one tolerance fits all.
    a = torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)
    b = torch.randn(k, n, generator=gen, dtype=torch.float32)
    a = a.t().contiguous().t() if a_col else a
    b = b.t().contiguous().t() if b_col else b
    return [a.to(case.dtype), b.to(case.dtype)]


def reference(a, b):
    return (a.double() @ b.double()).to(a.dtype).contiguous()


def baseline(a, b):
    """What a PyTorch user writes: torch.matmul in the inputs' dtype (it reads the strides)."""
    return a @ b
