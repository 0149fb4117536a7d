"""lightning_attention: linear attention with a fixed exponential decay per head
(Lightning Attention-2), evaluated in float64 in its parallel form. Per batch b, head h:
    o_t = sum_{s <= t} exp(-lambda_h (t - s)) (q_t . k_s) v_s      (no scale)
q, k, v (B, H, T, D); slopes (H,) float32, lambda_h > 0. chunk_size only says how the
kernel splits T; the result does not depend on it."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    d = case.dims
    B, H, T, D = d["B"], d["H"], d["T"], d["D"]
    # ALiBi-style slopes 2^(-8 (h + 1) / H), as Lightning Attention uses (from ~0.7 down
    # to 2^-8 = 1/256: memories of 1.4 to 256 steps); params slope_mul scales them
    # (16: fast heads whose decay underflows inside a chunk).
    h = torch.arange(H, dtype=torch.float64)
    slopes = torch.pow(2.0, -8.0 * (h + 1) / H) * case.params.get("slope_mul", 1.0)
    # q, k ~ N(0, D^-1/2) so q . k ~ N(0, 1) (nothing scales the scores); head h's v is
    # scaled by sqrt((1 - e^(-2 lambda)) / (1 - e^(-2 lambda T))), so every output is
    # ~N(0, 1) whatever the decay and T: one set of tolerances fits every case.
    q = torch.randn(B, H, T, D, generator=gen, dtype=torch.float32) * D ** -0.25
    k = torch.randn(B, H, T, D, generator=gen, dtype=torch.float32) * D ** -0.25
    v = torch.randn(B, H, T, D, generator=gen, dtype=torch.float32)
    norm = torch.sqrt(-torch.expm1(-2.0 * slopes) / -torch.expm1(-2.0 * slopes * T))
    v = v * norm.to(torch.float32)[None, :, None, None]
    chunk = int(case.params.get("C", 64))
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype), slopes.to(torch.float32), chunk]


def reference(q, k, v, slopes, chunk_size):
    B, H, T, D = q.shape
    qd, kd, vd = q.double(), k.double(), v.double()
    lam = slopes.double()[None, :, None, None]                                   # (1, H, 1, 1)
    o = torch.empty(B, H, T, D, dtype=torch.float64, device=q.device)
    # Query rows in blocks against all keys up to the block's last row: (rows, T)
    # blocks below ~512 MB at the performance shapes.
    rows = max(1, min(T, (1 << 26) // max(1, B * H * T)))
    for r0 in range(0, T, rows):
        r1 = min(T, r0 + rows)
        t_idx = torch.arange(r0, r1, device=q.device, dtype=torch.float64)[:, None]
        s_idx = torch.arange(r1, device=q.device, dtype=torch.float64)[None, :]
        dist = t_idx - s_idx                                                     # t - s
        decay = torch.exp(-lam * dist.clamp(min=0)) * (dist >= 0)
        scores = (qd[:, :, r0:r1] @ kd[:, :, :r1].transpose(-1, -2)) * decay
        o[:, :, r0:r1] = scores @ vd[:, :, :r1]
    return o.to(q.dtype)


def baseline(q, k, v, slopes, chunk_size):
    """What a PyTorch user writes: chunkwise decayed linear attention, every chunk at once:
    masked scores inside each chunk plus a float32 key-value state from the chunks before."""
    B, H, T, D = q.shape
    C = chunk_size
    n = -(-T // C)
    if n * C != T:  # zero keys and values add nothing; the padded query rows are dropped
        q, k, v = (F.pad(t, (0, 0, 0, n * C - T)) for t in (q, k, v))
    qc, kc, vc = (t.view(B, H, n, C, D) for t in (q, k, v))
    lam = slopes.view(1, H, 1, 1, 1)
    j = torch.arange(C, device=q.device, dtype=torch.float32)[:, None]    # position in chunk
    # Inside a chunk: (q_t . k_s) exp(-lam (t - s)) for s <= t, in the inputs' dtype.
    dist = j - j.T
    decay = (torch.exp(-lam * dist.clamp(min=0)) * (dist >= 0)).to(q.dtype)  # (1, H, 1, C, C)
    intra = ((qc @ kc.transpose(-1, -2)) * decay) @ vc
    # The key-value state is kept in float32: kv[i] = each chunk's sum of
    # exp(-lam (C - j)) k_j^T v_j, and the state entering chunk i is
    # sum_{m < i} exp(-lam C (i - 1 - m)) kv[m] (a decay matrix over chunks).
    kv = (kc * torch.exp(-lam * (C - j))).transpose(-1, -2) @ vc.float()   # (B, H, n, D, D)
    ci = torch.arange(n, device=q.device, dtype=torch.float32)[:, None]
    lag = ci - ci.T - 1
    carry = torch.exp(-slopes.view(H, 1, 1) * C * lag.clamp(min=0)) * (lag >= 0)  # (H, n, n)
    state = (carry @ kv.view(B, H, n, D * D)).view(B, H, n, D, D)
    inter = (qc * torch.exp(-lam * j)) @ state
    return (intra + inter).view(B, H, n * C, D)[:, :, :T].to(q.dtype)
