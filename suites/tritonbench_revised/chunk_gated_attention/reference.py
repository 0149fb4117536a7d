"""chunk_gated_attention: gated linear attention with a scalar forget gate given as logits
and a sigmoid output gate, evaluated in float64 in its parallel form. Per batch b, head h:
    a_t = logsigmoid(f_t),  A_t = a_0 + ... + a_t
    S_t = exp(a_t) S_{t-1} + k_t^T v_t      (S_{-1} = 0)
    o_t = (scale * q_t S_t) * sigmoid(z_t)
        = sigmoid(z_t) * scale * sum_{s <= t} exp(A_t - A_s) (q_t . k_s) v_s.
q, k (B, H, T, K); v, z (B, H, T, V); f (B, H, T) float32. chunk_size only says how the
kernel splits T; the result does not depend on it."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    d = case.dims
    B, H, T, K, V = d["B"], d["H"], d["T"], d["K"], d["V"]
    # params: gate_shift is added to the N(0, 1) forget logits (default 3: a typical
    # per-step decay of sigmoid(3) = 0.95, memory ~20 steps); 0 forgets within a few
    # steps (decays underflow inside a chunk), 6 remembers ~400 steps (past every T here).
    shift = case.params.get("gate_shift", 3.0)
    q = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    k = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    v = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32)
    f = torch.randn(B, H, T, generator=gen, dtype=torch.float32) + shift
    z = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32)
    # v carries sqrt((1 - rho) / (1 - rho^T)), rho = sigmoid(shift)^2 the squared decay at
    # the typical gate: o stays ~N(0, 1/4) for every shift and T (one set of tolerances).
    rho = math.exp(2.0 * F.logsigmoid(torch.tensor(shift, dtype=torch.float64)).item())
    v = v * math.sqrt((1.0 - rho) / (1.0 - rho ** T))
    scale = float(case.params.get("scale", K ** -0.5))
    chunk = int(case.params.get("C", 64))
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype), f, z.to(case.dtype),
            scale, chunk]


def reference(q, k, v, f, z, scale, chunk_size):
    B, H, T, K = q.shape
    qd, kd, vd, zd = q.double(), k.double(), v.double(), z.double()
    A = torch.cumsum(F.logsigmoid(f.double()), dim=-1)                    # (B, H, T)
    o = torch.empty(B, H, T, v.shape[-1], dtype=torch.float64, device=q.device)
    # Query rows in blocks against all keys up to the block's last row: (rows, T)
    # blocks below ~512 MB at the performance shapes.
    rows = max(1, min(T, (1 << 26) // max(1, B * H * T)))
    for r0 in range(0, T, rows):
        r1 = min(T, r0 + rows)
        expo = A[:, :, r0:r1, None] - A[:, :, None, :r1]                   # A_t - A_s
        t_idx = torch.arange(r0, r1, device=q.device)[:, None]
        s_idx = torch.arange(r1, device=q.device)[None, :]
        decay = torch.exp(expo.masked_fill(s_idx > t_idx, float("-inf")))
        scores = (qd[:, :, r0:r1] @ kd[:, :, :r1].transpose(-1, -2)) * decay
        o[:, :, r0:r1] = scale * (scores @ vd[:, :, :r1])
    o = o * torch.sigmoid(zd)
    return o.to(q.dtype)


def baseline(q, k, v, f, z, scale, chunk_size):
    """What a PyTorch user writes: chunked gated linear attention in float32, state carried over chunks."""
    B, H, T, K = q.shape
    V = v.shape[-1]
    C = chunk_size
    N = -(-T // C)
    # float32 throughout: the gates are float32 log-decays and the state accumulates
    # over the whole sequence.
    dtype = q.dtype
    q, k, v = q.float() * scale, k.float(), v.float()
    a = F.logsigmoid(f)
    if N * C != T:  # zero rows (and zero log-gates) past T change nothing
        q, k, v = (F.pad(x, (0, 0, 0, N * C - T)) for x in (q, k, v))
        a = F.pad(a, (0, N * C - T))
    qc, kc, vc = (x.view(B, H, N, C, -1) for x in (q, k, v))
    b = a.view(B, H, N, C).cumsum(dim=-1)                       # log-decay since chunk start
    causal = torch.ones(C, C, dtype=torch.bool, device=q.device).tril()
    decay = torch.exp((b[..., :, None] - b[..., None, :]).masked_fill(~causal, float("-inf")))
    o = ((qc @ kc.transpose(-1, -2)) * decay) @ vc
    last = b[..., -1:]                                            # (B, H, N, 1)
    kv = (kc * torch.exp(last - b)[..., None]).transpose(-1, -2) @ vc  # (B, H, N, K, V)
    state = torch.zeros(B, H, K, V, dtype=torch.float32, device=q.device)
    prev = torch.empty(B, H, N, K, V, dtype=torch.float32, device=q.device)
    for n in range(N):
        prev[:, :, n] = state
        state = torch.exp(last[:, :, n, :, None]) * state + kv[:, :, n]
    o = o + (qc * torch.exp(b)[..., None]) @ prev
    o = o.view(B, H, N * C, V)[:, :, :T] * torch.sigmoid(z.float())
    return o.to(dtype)
