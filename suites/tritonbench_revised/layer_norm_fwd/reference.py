"""layer_norm_fwd: layer normalization over the last dimension, with weight and bias."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) + case.params.get("offset", 0.0)
    if case.params.get("constant_rows"):
        x = torch.randn(m, 1, generator=gen, dtype=torch.float32).expand(m, n).contiguous()
    weight = 1.0 + 0.5 * torch.randn(n, generator=gen, dtype=torch.float32)
    bias = torch.randn(n, generator=gen, dtype=torch.float32)
    return [x.to(case.dtype), weight.to(case.dtype), bias.to(case.dtype), 1e-5]


def reference(x, weight, bias, eps):
    out = torch.nn.functional.layer_norm(x.float(), (x.shape[-1],), weight.float(), bias.float(), eps)
    return out.to(x.dtype)
