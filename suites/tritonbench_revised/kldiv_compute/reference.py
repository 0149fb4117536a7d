"""kldiv_compute: torch F.kl_div(input, target, reduction='none', log_target=False), i.e.
    out = target * (log(target) - input)   (0 where target == 0),
for input = log-probabilities and target = probabilities of one shape (M, N), computed in
float64 and returned in input's dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # input: row log-softmax of normal draws times `scale` (log-probabilities down to
    # about -scale * 9, e.g. -90 at scale 10); target: row softmax of other draws.
    scale = case.params.get("scale", 1.0)
    x = torch.log_softmax(torch.randn(m, n, generator=gen) * scale, dim=1)
    t = torch.softmax(torch.randn(m, n, generator=gen) * 2.0, dim=1)
    # Edge rows: every 4th row from 0 has ~40% exact-zero targets (renormalised), every
    # 4th from 1 is one-hot (a single 1, the rest 0), every 4th from 2 has
    # target = exp(input) (the terms cancel to ~0), and every 7th from 3 has targets down
    # to ~1e-30 (float32 only: float16/bfloat16 round them to 0 or subnormals).
    zero = torch.rand(m, n, generator=gen) < 0.4
    t[0::4] = torch.where(zero[0::4], torch.zeros(()), t[0::4])
    t[0::4] /= t[0::4].sum(dim=1, keepdim=True).clamp_min(1e-30)
    hot = torch.randint(0, n, (m,), generator=gen)
    t[1::4] = 0.0
    t[torch.arange(1, m, 4), hot[1::4]] = 1.0
    t[2::4] = torch.exp(x[2::4])
    t[3::7] = torch.softmax(torch.randn(t[3::7].shape, generator=gen) * 15.0, dim=1)
    return [x.to(case.dtype), t.to(case.dtype)]


def reference(input, target):
    out = torch.nn.functional.kl_div(input.to(torch.float64), target.to(torch.float64),
                                     reduction="none", log_target=False)
    return out.to(input.dtype)


def baseline(input, target):
    """What a PyTorch user writes: F.kl_div(reduction='none') on float32 copies."""
    # float32 (as specified): in 16 bits target*log(target) and target*input are each
    # rounded before they cancel (rows with target = exp(input)).
    return F.kl_div(input.float(), target.float(), reduction="none").to(input.dtype)
