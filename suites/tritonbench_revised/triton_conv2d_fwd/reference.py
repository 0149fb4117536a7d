"""triton_conv2d_fwd: 2-D convolution forward (cross-correlation, as
torch.nn.functional.conv2d), NCHW layout, dilation 1, groups 1, no bias:
    out[n, k, p, q] = sum_{c, r, s} x[n, c, p * stride - padding + r, q * stride - padding + s]
                                    * weight[k, c, r, s]
with out-of-range input positions reading 0. x (N, C, H, W) and weight (K, C, R, S) of
one dtype; out (N, K, P, Q), P = (H + 2 * padding - R) // stride + 1 (Q likewise),
computed in float64 here and returned in x's dtype."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    d = case.dims
    x = torch.randn(d["N"], d["C"], d["H"], d["W"], generator=gen, dtype=torch.float32)
    # Weights scaled by 1/sqrt(C * R * S): outputs away from the padded border ~N(0, 1).
    fan_in = d["C"] * d["R"] * d["S"]
    w = torch.randn(d["K"], d["C"], d["R"], d["S"], generator=gen, dtype=torch.float32) / math.sqrt(fan_in)
    stride = int(case.params.get("stride", 1))
    padding = int(case.params.get("padding", 0))
    return [x.to(case.dtype), w.to(case.dtype), stride, padding]


def reference(x, weight, stride, padding):
    # float64: on a GPU a float32 conv2d may silently run at TF32 (cuDNN's default).
    out = torch.nn.functional.conv2d(x.double(), weight.double(), stride=stride, padding=padding)
    return out.to(x.dtype)


def baseline(x, weight, stride, padding):
    """What a PyTorch user writes: F.conv2d in x's dtype."""
    return F.conv2d(x, weight, stride=stride, padding=padding)
