"""kldiv_ops: torch F.kl_div(input, target, reduction='batchmean', log_target=True) for
input x and target t, both log-probabilities of shape (M, N):
    out = sum_{i, j} exp(t[i, j]) * (t[i, j] - x[i, j]) / M,
computed in float64 and returned as a 0-d float32 tensor."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # Row log-softmax of normal draws times `scale` (log-probabilities down to about
    # -9 * scale). Edge rows: every 5th row from 1 has t == x (its terms are exactly 0),
    # every 5th from 2 has log-targets of -200 on ~half the classes (exp underflows to
    # 0 in float32, the term vanishes). param identical = 1 makes t == x everywhere, so
    # the result is exactly 0.
    scale = case.params.get("scale", 1.0)
    x = torch.log_softmax(torch.randn(m, n, generator=gen) * scale, dim=1)
    t = torch.log_softmax(torch.randn(m, n, generator=gen) * scale, dim=1)
    t[1::5] = x[1::5]
    far = torch.rand(m, n, generator=gen) < 0.5
    t[2::5] = torch.where(far[2::5], torch.full((), -200.0), t[2::5])
    if case.params.get("identical", 0):
        t = x.clone()
    return [x.to(case.dtype), t.to(case.dtype)]


def reference(input, target):
    out = torch.nn.functional.kl_div(input.to(torch.float64), target.to(torch.float64),
                                     reduction="batchmean", log_target=True)
    return out.to(torch.float32)


def baseline(input, target):
    """What a PyTorch user writes: F.kl_div(reduction='batchmean', log_target=True) in float32."""
    # float32: the loss is a float32 sum over M*N terms; a 16-bit result would round it.
    return F.kl_div(input.float(), target.float(), reduction="batchmean", log_target=True)
