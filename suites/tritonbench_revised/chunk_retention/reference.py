"""chunk_retention: RetNet retention (parallel form, the definition), in float64:
    o = ((q / sqrt(K)) k^T * D) v,  D[i, j] = gamma_h^(i - j) for j <= i, else 0,
with gamma_h = 1 - 2^(-5 - h) for head h; q, k (B, H, T, K), v (B, H, T, V)."""

import torch
import torch.nn.functional as F


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


def baseline(q, k, v):
    """What a PyTorch user writes: chunked retention, the float32 state carried over chunks."""
    B, H, T, K = q.shape
    V = v.shape[-1]
    C = 64
    N = -(-T // C)
    if N * C != T:  # zero rows past T add nothing
        q, k, v = (F.pad(x, (0, 0, 0, N * C - T)) for x in (q, k, v))
    qc, kc, vc = (x.view(B, H, N, C, -1) for x in (q * K ** -0.5, k, v))
    heads = torch.arange(H, dtype=torch.float32, device=q.device)
    log_gamma = torch.log1p(-torch.pow(2.0, -5.0 - heads))                      # (H,)
    i = torch.arange(C, dtype=torch.float32, device=q.device)
    diff = i[:, None] - i[None, :]
    decay = torch.exp(log_gamma[:, None, None] * diff.clamp(min=0)).masked_fill(diff < 0, 0)
    o = ((qc @ kc.transpose(-1, -2)) * decay.to(q.dtype)[:, None]) @ vc
    # Across chunks: query i sees the carried state decayed by gamma^(i+1), key j enters
    # its chunk's state decayed by gamma^(C-1-j), and the state decays by gamma^C a chunk.
    q_decay = torch.exp(log_gamma[:, None] * (i + 1)).to(q.dtype)[:, None, :, None]
    k_decay = torch.exp(log_gamma[:, None] * (C - 1 - i)).to(q.dtype)[:, None, :, None]
    kv = (kc * k_decay).transpose(-1, -2) @ vc                                   # (B, H, N, K, V)
    chunk_decay = torch.exp(log_gamma * C)[:, None, None]
    # The state is a long accumulation: float32.
    state = torch.zeros(B, H, K, V, dtype=torch.float32, device=q.device)
    prev = torch.empty(B, H, N, K, V, dtype=q.dtype, device=q.device)
    for n in range(N):
        prev[:, :, n] = state
        state = chunk_decay * state + kv[:, :, n]
    o = o + (qc * q_decay) @ prev
    return o.view(B, H, N * C, V)[:, :, :T]
