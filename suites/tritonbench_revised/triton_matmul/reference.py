"""triton_matmul: GEMM with scaling, out = alpha * (A @ B) + beta * C0, for A (M, K),
B (K, N) and C0 (M, N) of one dtype and Python float alpha, beta; computed in float64
here and returned as a new tensor of A's dtype. As in BLAS, beta == 0 means C0 is not
read at all (NaN or Inf in C0 do not reach the output)."""

import math

import torch


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # A is scaled by 1/sqrt(K) so A @ B ~ N(0, 1) whatever K is.
    a = (torch.randn(m, k, generator=gen, dtype=torch.float32) / math.sqrt(k)).to(case.dtype)
    b = torch.randn(k, n, generator=gen, dtype=torch.float32).to(case.dtype)
    c0 = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    # params: alpha (default 1), beta (default 0); nan_c=1 fills C0 with NaN (used
    # with beta = 0, where C0 must not be read).
    if case.params.get("nan_c", 0.0):
        c0.fill_(float("nan"))
    return [a, b, c0, case.params.get("alpha", 1.0), case.params.get("beta", 0.0)]


def reference(a, b, c0, alpha, beta):
    out = alpha * (a.double() @ b.double())
    if beta != 0:
        out = out + beta * c0.double()
    return out.to(a.dtype)


def baseline(a, b, c0, alpha, beta):
    """What a PyTorch user writes: torch.addmm, which ignores C0 when beta == 0."""
    return torch.addmm(c0, a, b, beta=beta, alpha=alpha)
