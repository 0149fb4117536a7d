"""chunk_retention: RetNet retention (parallel form, the definition), in float64:
    o = ((q / sqrt(K)) k^T * D) v,  D[i, j] = gamma_h^(i - j) for j <= i, else 0,
with gamma_h = 1 - 2^(-5 - h) for head h; q, k (B, H, T, K), v (B, H, T, V)."""

import torch


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    kd, vd = case.dims["K"], case.dims["V"]
    q = torch.randn(b, h, t, kd, generator=gen, dtype=torch.float32)
    k = torch.randn(b, h, t, kd, generator=gen, dtype=torch.float32)
    v = torch.randn(b, h, t, vd, generator=gen, dtype=torch.float32)
    # Head h's v is scaled by 1 / sqrt(sum_{n<T} gamma_h^(2n)), so each output is ~N(0, 1)
    # whatever the head's decay and T: one set of tolerances fits every case.
    gamma = 1.0 - torch.pow(2.0, -5.0 - torch.arange(h, dtype=torch.float64))
    norm = torch.sqrt((1.0 - gamma ** 2) / (1.0 - gamma ** (2 * t)))
    v = v * norm.to(torch.float32)[None, :, None, None]
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype)]


def reference(q, k, v):
    B, H, T, K = q.shape
    qd, kd, vd = q.double(), k.double(), v.double()
    heads = torch.arange(H, dtype=torch.float64, device=q.device)
    log_gamma = torch.log1p(-torch.pow(2.0, -5.0 - heads))          # (H,)
    idx = torch.arange(T, dtype=torch.float64, device=q.device)
    diff = idx[:, None] - idx[None, :]                               # i - j
    decay = torch.exp(log_gamma[:, None, None] * diff.clamp(min=0))  # (H, T, T)
    decay = torch.where(diff >= 0, decay, torch.zeros((), dtype=torch.float64, device=q.device))
    scores = (qd * K ** -0.5) @ kd.transpose(-1, -2) * decay
    return (scores @ vd).to(q.dtype)
