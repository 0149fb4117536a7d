"""sin_computation: out = sin(x) for a 2-D (M, N) tensor x that is either row-major
(contiguous) or column-major (x = buf.t() of a contiguous (N, M) buffer, strides
(1, M)), of dtype float32, float16 or bfloat16 with |x| <= 100; evaluated here in
float64 and returned as a new contiguous tensor of x's dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    col_major = bool(case.params.get("col_major", 0))
    shape = (n, m) if col_major else (m, n)
    buf = (torch.rand(shape, generator=gen, dtype=torch.float32) * 2.0 - 1.0) * 100.0
    buf.view(-1)[::17] = 0.0
    buf = buf.to(case.dtype)
    return [buf.t() if col_major else buf]


def reference(x):
    return torch.sin(x.to(torch.float64)).to(x.dtype).contiguous()


def baseline(x):
    """What a PyTorch user writes: torch.sin in x's dtype, made contiguous."""
    return torch.sin(x).contiguous()
