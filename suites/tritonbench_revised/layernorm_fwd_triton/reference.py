"""layernorm_fwd_triton: layer normalization over the last dim C of a (B, T, C) tensor
x that is a non-contiguous view (unit stride along C, arbitrary strides along B and T):
    out[b, t, :] = (x[b, t, :] - mean) / sqrt(var + eps) * weight + bias,
with the mean and biased variance (divided by C) of that row. Computed in float64 and
returned as a contiguous tensor of x's dtype. weight, bias: (C,) of x's dtype; eps = 1e-5."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, t, c = case.dims["B"], case.dims["T"], case.dims["C"]
    # Layouts (params), all with unit stride along C:
    #   default      sequence-first buffer (T, B, C) seen as (B, T, C) through
    #                transpose(0, 1): strides (C, B*C, 1), as seq-first activations;
    #   contiguous=1 a plain contiguous (B, T, C) tensor;
    #   pad_c=P      rows of a (B, T, C + P) buffer sliced to C columns: strides
    #                (T*(C+P), C+P, 1), row starts not multiples of C;
    #   step_b=1     every other batch of a seq-first (T, 2B, C) buffer: strides
    #                (2C, 2B*C, 1).
    # The buffer is drawn, scaled and converted first; the view is taken last, so its
    # strides are exactly these. (Moving a view with gaps to the GPU compacts the gaps
    # but keeps the permuted order, so pad_c and step_b reach a GPU as seq-first views.)
    pad = int(case.params.get("pad_c", 0))
    scale, shift = case.params.get("scale", 1.0), case.params.get("shift", 0.0)
    if case.params.get("contiguous", 0):
        shape = (b, t, c)
    elif pad:
        shape = (b, t, c + pad)
    elif case.params.get("step_b", 0):
        shape = (t, 2 * b, c)
    else:
        shape = (t, b, c)
    buf = (torch.randn(shape, generator=gen) * scale + shift).to(case.dtype)
    if case.params.get("contiguous", 0):
        x = buf
    elif pad:
        x = buf[:, :, :c]
    elif case.params.get("step_b", 0):
        x = buf.transpose(0, 1)[::2]
    else:
        x = buf.transpose(0, 1)
    weight = 1.0 + 0.5 * torch.randn(c, generator=gen)
    bias = 0.5 * torch.randn(c, generator=gen)
    return [x, weight.to(case.dtype), bias.to(case.dtype), 1e-5]


def reference(x, weight, bias, eps):
    xd = x.to(torch.float64)
    mean = xd.mean(dim=-1, keepdim=True)
    var = (xd - mean).square().mean(dim=-1, keepdim=True)
    y = (xd - mean) / torch.sqrt(var + eps) * weight.to(torch.float64) + bias.to(torch.float64)
    return y.to(x.dtype).contiguous()


def baseline(x, weight, bias, eps):
    """What a PyTorch user writes: F.layer_norm in x's dtype (float32 statistics inside)."""
    return F.layer_norm(x, (x.shape[-1],), weight, bias, eps)
