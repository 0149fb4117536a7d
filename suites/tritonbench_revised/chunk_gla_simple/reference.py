"""chunk_gla_simple: simple gated linear attention, defined by its sequential recurrence
(evaluated in float64). Per batch b and head h, with scale = K**-0.5:
    S_t = exp(g_t) * S_{t-1} + k_t^T v_t      (S_0 = 0, S_t of shape (K, V))
    o_t = (q_t * scale) S_t
q, k: (B, H, T, K); v: (B, H, T, V); g: (B, H, T) float32 log-space gates <= 0."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    d = case.dims
    B, H, T, K, V = d["B"], d["H"], d["T"], d["K"], d["V"]
    q = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    k = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    v = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32)
    # logsigmoid(x)/16 lies in (-inf, 0): per-step decays in (0, 1), typical memory of
    # some 20-40 steps; `gate_shift` (added to x) < 0 gives faster decay.
    x = torch.randn(B, H, T, generator=gen, dtype=torch.float32) + case.params.get("gate_shift", 0.0)
    g = F.logsigmoid(x) / 16
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype), g]


def reference(q, k, v, g):
    B, H, T, K = q.shape
    V = v.shape[-1]
    scale = K ** -0.5
    q64, k64, v64, g64 = (x.to(torch.float64) for x in (q, k, v, g))
    state = torch.zeros(B, H, K, V, dtype=torch.float64, device=q.device)
    o = torch.empty(B, H, T, V, dtype=torch.float64, device=q.device)
    for t in range(T):
        state = state * torch.exp(g64[:, :, t])[..., None, None] \
            + k64[:, :, t, :, None] * v64[:, :, t, None, :]
        o[:, :, t] = torch.einsum("bhk,bhkv->bhv", q64[:, :, t] * scale, state)
    return o.to(q.dtype)


def baseline(q, k, v, g):
    """What a PyTorch user writes: chunked simple GLA in float32, state carried over chunks."""
    B, H, T, K = q.shape
    V = v.shape[-1]
    C = 64
    N = -(-T // C)
    # float32 throughout: the gates are float32 log-decays and the state accumulates
    # over the whole sequence.
    dtype = q.dtype
    q, k, v = q.float() * K ** -0.5, k.float(), v.float()
    if N * C != T:  # zero rows (and zero log-gates) past T change nothing
        q, k, v = (F.pad(x, (0, 0, 0, N * C - T)) for x in (q, k, v))
        g = F.pad(g, (0, N * C - T))
    qc, kc, vc = (x.view(B, H, N, C, -1) for x in (q, k, v))
    b = g.view(B, H, N, C).cumsum(dim=-1)                       # log-decay since chunk start
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
    return o.view(B, H, N * C, V)[:, :, :T].to(dtype)
