"""softmax_triton3: softmax backward over the last dim of 2-D tensors. Given the softmax
output y (M, N) and the output gradient dy (M, N):
    dx[i, j] = y[i, j] * (dy[i, j] - sum_k dy[i, k] * y[i, k]),
computed in float64 from the inputs' values and returned in their dtype."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # y is a genuine softmax of normal draws times `scale` (1e3: rows nearly one-hot,
    # so dx of the hot entry is a near-cancellation dy - dy * 1), rounded to the dtype;
    # dy is standard normal.
    scale = case.params.get("scale", 1.0)
    logits = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale
    y = torch.softmax(logits, dim=-1)
    dy = torch.randn(m, n, generator=gen, dtype=torch.float32)
    return [y.to(case.dtype), dy.to(case.dtype)]


def reference(y, dy):
    y64, dy64 = y.to(torch.float64), dy.to(torch.float64)
    dot = (y64 * dy64).sum(dim=-1, keepdim=True)
    return (y64 * (dy64 - dot)).to(y.dtype)


def baseline(y, dy):
    """What a PyTorch user writes: the softmax-backward formula in tensor ops."""
    # float32 for 16-bit inputs: dy - dot cancels (one-hot rows), and dot rounded to
    # float16 leaves errors far above the tolerance.
    yf, dyf = y.float(), dy.float()
    dot = (yf * dyf).sum(dim=-1, keepdim=True)
    return (yf * (dyf - dot)).to(y.dtype)
