"""softmax_reducev: the softmax-times-V step of single-query attention. scores (B, H, S)
float32, v (B, H, S, D) float16:
    p[b, h, :] = softmax(scores[b, h, :]),   out[b, h, :] = sum_s p[b, h, s] * v[b, h, s, :],
computed in float64 and returned as float16 (B, H, D)."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, s, d = case.dims["B"], case.dims["H"], case.dims["S"], case.dims["D"]
    # params: std of the scores (default 2, like scaled q.k logits); std 1e3 makes
    # exp(score) overflow float32 unless the max is subtracted. `ramp` adds
    # ramp * s / S to position s, so the max keeps rising along the sequence (every
    # block and every chunk rescales what came before).
    std = case.params.get("std", 2.0)
    ramp = case.params.get("ramp", 0.0)
    scores = torch.randn(b, h, s, generator=gen, dtype=torch.float32) * std
    scores += ramp * torch.arange(s, dtype=torch.float32) / s
    v = torch.randn(b, h, s, d, generator=gen, dtype=torch.float32).to(case.dtype)
    return [scores, v]


def reference(scores, v):
    p = torch.softmax(scores.to(torch.float64), dim=-1)
    return torch.einsum("bhs,bhsd->bhd", p, v.to(torch.float64)).to(v.dtype)


def baseline(scores, v):
    """What a PyTorch user writes: F.softmax, then a batched matmul with v."""
    p = F.softmax(scores, dim=-1)
    # float32 probabilities and accumulation: p rounded to float16 (and subnormal for
    # long rows) would lose more than the tolerance.
    return torch.matmul(p.unsqueeze(-2), v.float()).squeeze(-2).to(v.dtype)
