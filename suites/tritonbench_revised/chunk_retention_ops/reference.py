"""chunk_retention_ops: RetNet retention from an initial state, as the plain recurrence
(the definition) in float64. Per (batch, head h), gamma = 1 - 2^(-5 - h), S_{-1} = h0:
    S_t = gamma * S_{t-1} + k_t^T v_t,    o_t = (q_t / sqrt(K)) S_t,
returning o (B, H, T, V) and S_{T-1} (B, H, K, V), both in the inputs' dtype."""

import torch


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
