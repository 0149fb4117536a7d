"""dequantize_rowwise: out[i, j] = q[i, j] * scale[i] / 127 for int8 q (M, N) and
float32 per-row absmax scale (M,), computed in float32 and returned as float16."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    q = torch.randint(-127, 128, (m, n), generator=gen, dtype=torch.int8)
    # Absmax scales between 0.01 and 8, then edge rows: every 5th row large (up to
    # ~2.4e4, where float16 steps are 8-16 apart and results stay below its 65504
    # maximum) and row 0 all-zero (scale 0).
    scale = 0.01 + 8.0 * torch.rand(m, generator=gen, dtype=torch.float32)
    scale[2::5] *= 3000.0
    scale[0] = 0.0
    return [q, scale]


def reference(q, scale):
    return (q.to(torch.float32) * scale[:, None] / 127.0).to(torch.float16)


# The reference is already what a PyTorch user writes.
baseline = reference
