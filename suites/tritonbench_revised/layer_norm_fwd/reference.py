"""layer_norm_fwd: layer normalization over the last dim of x (M, N):
    out[i, :] = (x[i, :] - mean_i) / sqrt(var_i + eps) * weight + bias,
with mean_i and the biased variance var_i (divided by N) of row i, computed in float32
and returned in x's dtype. weight and bias are (N,) tensors of x's dtype; eps a float."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the normal draws (small rows have variance near eps);
    # eps defaults to 1e-5; const_rows=1 makes every other row constant (zero variance).
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * case.params.get("scale", 1.0)
    if case.params.get("const_rows", 0.0):
        # Constants with 8 significant bits (bfloat16 values), and row 0 all zero: with
        # N a power of two, any summation order and division give the exact mean, so
        # x - mean is exactly 0 and the output is exactly bias.
        c = torch.randn(m, generator=gen, dtype=torch.float32).to(torch.bfloat16).to(torch.float32)
        c[0] = 0.0
        x[0::2] = c[0::2, None]
    weight = torch.randn(n, generator=gen, dtype=torch.float32)
    bias = torch.randn(n, generator=gen, dtype=torch.float32)
    eps = case.params.get("eps", 1e-5)
    return [x.to(case.dtype), weight.to(case.dtype), bias.to(case.dtype), eps]


def reference(x, weight, bias, eps):
    y = torch.nn.functional.layer_norm(
        x.to(torch.float32), (x.shape[-1],), weight.to(torch.float32), bias.to(torch.float32), eps)
    return y.to(x.dtype)


# The reference is already what a PyTorch user writes: F.layer_norm in float32, as autocast
# runs it. (On the CPU, float16 F.layer_norm misses the exact bias on zero-variance rows,
# where rstd = 1/sqrt(eps), by more than the tolerance.)
baseline = reference
