"""softmax_triton1: row softmax over the last dim of a 2-D tensor x (M, N):
    out[i, j] = exp(x[i, j] - max_k x[i, k]) / sum_k exp(x[i, k] - max_k x[i, k]),
computed in float32 and returned in x's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the standard-normal draws and shift is added to them.
    # A large scale (1e4) or shift (1e3) makes exp(x) overflow float32 (past ~88), so only
    # a kernel that subtracts each row's maximum stays finite. A shift leaves the softmax
    # unchanged; a large scale makes rows nearly one-hot.
    scale = case.params.get("scale", 1.0)
    shift = case.params.get("shift", 0.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale + shift
    return [x.to(case.dtype)]


def reference(x):
    return torch.softmax(x.to(torch.float32), dim=-1).to(x.dtype)


def baseline(x):
    """What a PyTorch user writes: F.softmax in x's dtype (it accumulates in float32)."""
    return F.softmax(x, dim=-1)
