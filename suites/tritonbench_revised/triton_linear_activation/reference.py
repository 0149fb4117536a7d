"""triton_linear_activation: y = act(x @ W^T + b) for float16 x (M, K), W (N, K) (the
torch.nn.Linear layout), b (N,), with act one of
    "gelu": 0.5 * h * (1 + tanh(sqrt(2 / pi) * (h + 0.044715 * h^3)))   (tanh approximation)
    "relu": max(h, 0)
    "silu": h * sigmoid(h) = h / (1 + exp(-h))
computed in float64 here and returned as float16."""

import math

import torch
import torch.nn.functional as F

ACTIVATIONS = {0: "gelu", 1: "relu", 2: "silu"}


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # params: act selects the activation (0 gelu, 1 relu, 2 silu); scale multiplies x,
    # so h = x @ W^T + b is ~N(0, scale^2 + 0.25) (x is also scaled by 1/sqrt(K)).
    scale = case.params.get("scale", 1.0)
    x = torch.randn(m, k, generator=gen, dtype=torch.float32) * (scale / math.sqrt(k))
    w = torch.randn(n, k, generator=gen, dtype=torch.float32)
    b = 0.5 * torch.randn(n, generator=gen, dtype=torch.float32)
    act = ACTIVATIONS[int(case.params.get("act", 0))]
    return [x.to(case.dtype), w.to(case.dtype), b.to(case.dtype), act]


def reference(x, weight, bias, activation):
    h = x.double() @ weight.double().t() + bias.double()
    if activation == "gelu":
        y = torch.nn.functional.gelu(h, approximate="tanh")
    elif activation == "relu":
        y = torch.relu(h)
    elif activation == "silu":
        y = torch.nn.functional.silu(h)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return y.to(x.dtype)


def baseline(x, weight, bias, activation):
    """What a PyTorch user writes: F.linear in float16, then the activation."""
    h = F.linear(x, weight, bias)
    if activation == "gelu":
        return F.gelu(h, approximate="tanh")
    if activation == "relu":
        return F.relu(h)
    if activation == "silu":
        return F.silu(h)
    raise ValueError(f"unknown activation {activation!r}")
