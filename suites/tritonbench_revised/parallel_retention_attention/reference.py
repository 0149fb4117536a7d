"""parallel_retention_attention: RetNet retention in its parallel form with the row
normaliser, evaluated in float64. q, k, v are (B, T, H, D); per batch b and head h, with
gamma_h = 1 - 2^(-5 - h):
    R[t, s] = (q_t . k_s) / sqrt(D) * gamma_h^(t - s)   for s <= t, 0 otherwise
    o_t = sum_s R[t, s] v_s / max(|sum_s R[t, s]|, 1)
returned as a (B, T, H, D) tensor of q's dtype."""

import torch


def make_inputs(case, gen):
    d = case.dims
    B, T, H, D = d["B"], d["T"], d["H"], d["D"]
    q = torch.randn(B, T, H, D, generator=gen, dtype=torch.float32)
    k = torch.randn(B, T, H, D, generator=gen, dtype=torch.float32)
    v = torch.randn(B, T, H, D, generator=gen, dtype=torch.float32)
    # Head h's q carries sqrt((1 - gamma^2) / (1 - gamma^(2T))): the late rows of R then
    # have norm ~1 on every head and at every T, so |row sum| ~ N(0, 1) and the normaliser
    # max(|row sum|, 1) is active in about a third of those rows (and |o| stays O(1)).
    # params q_std scales q further (4: the normaliser acts in most rows).
    gamma = 1.0 - torch.pow(2.0, -5.0 - torch.arange(H, dtype=torch.float64))
    norm = torch.sqrt((1.0 - gamma ** 2) / (1.0 - gamma ** (2 * T))) * case.params.get("q_std", 1.0)
    q = q * norm.to(torch.float32)[None, None, :, None]
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype)]


def reference(q, k, v):
    B, T, H, D = q.shape
    qd, kd, vd = (x.double().transpose(1, 2) for x in (q, k, v))        # (B, H, T, D)
    log_gamma = torch.log1p(-torch.pow(2.0, -5.0 - torch.arange(H, dtype=torch.float64,
                                                                  device=q.device)))
    log_gamma = log_gamma[None, :, None, None]
    o = torch.empty(B, H, T, D, dtype=torch.float64, device=q.device)
    # Query rows in blocks against all keys up to the block's last row: (rows, T)
    # blocks below ~512 MB at the performance shapes.
    rows = max(1, min(T, (1 << 26) // max(1, B * H * T)))
    for r0 in range(0, T, rows):
        r1 = min(T, r0 + rows)
        t_idx = torch.arange(r0, r1, device=q.device, dtype=torch.float64)[:, None]
        s_idx = torch.arange(r1, device=q.device, dtype=torch.float64)[None, :]
        dist = t_idx - s_idx                                              # t - s
        decay = torch.exp(log_gamma * dist.clamp(min=0)) * (dist >= 0)
        r = (qd[:, :, r0:r1] @ kd[:, :, :r1].transpose(-1, -2)) * D ** -0.5 * decay
        denom = r.sum(dim=-1, keepdim=True).abs().clamp(min=1.0)
        o[:, :, r0:r1] = (r @ vd[:, :, :r1]) / denom
    return o.transpose(1, 2).contiguous().to(q.dtype)


def baseline(q, k, v):
    """What a PyTorch user writes: the parallel form with a (H, T, T) decay mask, in float32."""
    b, t, h, d = q.shape
    qh, kh, vh = (x.transpose(1, 2).float() for x in (q, k, v))          # (B, H, T, D)
    # float32 throughout, as specified: with 16-bit scores or R the cancelling row sums and
    # products leave the tolerance (measured at T = 1024, q_std 2.5).
    log_gamma = torch.log1p(-torch.exp2(-5.0 - torch.arange(h, dtype=torch.float32, device=q.device)))
    pos = torch.arange(t, device=q.device)
    dist = pos[:, None] - pos[None, :]                                    # t - s
    decay = torch.exp(log_gamma[:, None, None] * dist.clamp(min=0)).masked_fill_(dist < 0, 0.0)
    r = (qh @ kh.transpose(-1, -2)).mul_(decay * d ** -0.5)              # (B, H, T, T)
    denom = r.sum(dim=-1, keepdim=True).abs().clamp_(min=1.0)
    return ((r @ vh) / denom).to(q.dtype).transpose(1, 2).contiguous()
