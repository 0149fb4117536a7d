"""chunk_retention_ops: RetNet retention from an initial state, as the plain recurrence
(the definition) in float64. Per (batch, head h), gamma = 1 - 2^(-5 - h), S_{-1} = h0:
    S_t = gamma * S_{t-1} + k_t^T v_t,    o_t = (q_t / sqrt(K)) S_t,
returning o (B, H, T, V) and S_{T-1} (B, H, K, V), both in the inputs' dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    kd, vd = case.dims["K"], case.dims["V"]
    q = torch.randn(b, h, t, kd, generator=gen, dtype=torch.float32)
    k = torch.randn(b, h, t, kd, generator=gen, dtype=torch.float32)
    v = torch.randn(b, h, t, vd, generator=gen, dtype=torch.float32)
    # Head h's v is scaled by 1 / sqrt(sum_{n<T} gamma_h^(2n)), so the chunk's own part of
    # each output and of the final state is ~N(0, 1) whatever the decay and T. The
    # initial state ~N(0, 1) is what the previous segment's state would look like.
    gamma = 1.0 - torch.pow(2.0, -5.0 - torch.arange(h, dtype=torch.float64))
    norm = torch.sqrt((1.0 - gamma ** 2) / (1.0 - gamma ** (2 * t)))
    v = v * norm.to(torch.float32)[None, :, None, None]
    h0 = torch.randn(b, h, kd, vd, generator=gen, dtype=torch.float32)
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype), h0.to(case.dtype)]


def reference(q, k, v, initial_state):
    B, H, T, K = q.shape
    qd = q.double() * K ** -0.5
    kd, vd = k.double(), v.double()
    gamma = 1.0 - torch.pow(2.0, -5.0 - torch.arange(H, dtype=torch.float64, device=q.device))
    gamma = gamma[None, :, None, None]
    S = initial_state.double()
    o = torch.empty(B, H, T, v.shape[-1], dtype=torch.float64, device=q.device)
    for t in range(T):
        S = gamma * S + kd[:, :, t, :, None] * vd[:, :, t, None, :]
        o[:, :, t] = (qd[:, :, t, None, :] @ S)[:, :, 0]
    return o.to(q.dtype), S.to(initial_state.dtype)


def baseline(q, k, v, initial_state):
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
    # Across chunks: query i sees the carried state decayed by gamma^(i+1); key t enters
    # its chunk's state decayed to the chunk's last position e (the last chunk may be
    # short), and the state decays by gamma^(chunk length).
    q_decay = torch.exp(log_gamma[:, None] * (i + 1)).to(q.dtype)[:, None, :, None]
    t = torch.arange(N * C, dtype=torch.float32, device=q.device).view(N, C)
    end = (t[:, :1] + C).clamp(max=T) - 1                                        # (N, 1)
    k_decay = torch.exp(log_gamma[:, None, None] * (end - t).clamp(min=0))[..., None]
    kv = (kc * k_decay.to(q.dtype)).transpose(-1, -2) @ vc                       # (B, H, N, K, V)
    chunk_decay = torch.exp(log_gamma[:, None] * (end[:, 0] - t[:, 0] + 1))      # (H, N)
    # The state is a long accumulation: float32.
    state = initial_state.float()
    prev = torch.empty(B, H, N, K, V, dtype=q.dtype, device=q.device)
    for n in range(N):
        prev[:, :, n] = state
        state = chunk_decay[:, n, None, None] * state + kv[:, :, n]
    o = o + (qc * q_decay) @ prev
    return o.view(B, H, N * C, V)[:, :, :T], state.to(initial_state.dtype)
