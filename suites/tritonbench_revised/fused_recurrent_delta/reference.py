"""fused_recurrent_delta: the delta rule (DeltaNet) run as its defining sequential
recurrence in float64. With q, k (B, H, T, K), v (B, H, T, V), beta (B, H, T) and
scale = 1 / sqrt(K), a state S (K, V) per (b, h) starts at zero and for t = 0..T-1:
    u_t = beta_t * (v_t - S^T k_t)          (V,)
    S   = S + k_t u_t^T                      (K, V)
    o_t = scale * S^T q_t                    (V,)
Returns o (B, H, T, V) and the final S (B, H, K, V), both in q's dtype."""

import torch


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    dk, dv = case.dims["K"], case.dims["V"]
    q = torch.randn(b, h, t, dk, generator=gen, dtype=torch.float32)
    k = torch.randn(b, h, t, dk, generator=gen, dtype=torch.float32)
    # Unit-norm keys (as DeltaNet normalises them) with beta in (0, 1): each step maps
    # S to (I - beta k k^T) S + ..., a contraction, so the state stays O(sqrt(T)) at most.
    k = k / k.norm(dim=-1, keepdim=True)
    v = torch.randn(b, h, t, dv, generator=gen, dtype=torch.float32)
    beta = torch.sigmoid(torch.randn(b, h, t, generator=gen, dtype=torch.float32))
    return [x.to(case.dtype).contiguous() for x in (q, k, v, beta)]


def reference(q, k, v, beta):
    b, h, t, dk = q.shape
    dv = v.shape[-1]
    qd, kd, vd, bd = (x.to(torch.float64) for x in (q, k, v, beta))
    qd = qd * dk ** -0.5
    s = torch.zeros(b, h, dk, dv, dtype=torch.float64, device=q.device)
    o = torch.empty(b, h, t, dv, dtype=torch.float64, device=q.device)
    for i in range(t):
        kt = kd[:, :, i]                                            # (B, H, K)
        pred = torch.einsum("bhk,bhkv->bhv", kt, s)
        u = bd[:, :, i, None] * (vd[:, :, i] - pred)                # (B, H, V)
        s = s + kt[..., :, None] * u[..., None, :]
        o[:, :, i] = torch.einsum("bhk,bhkv->bhv", qd[:, :, i], s)
    return o.to(q.dtype), s.to(q.dtype)


def baseline(q, k, v, beta):
    """What a PyTorch user writes: the delta-rule recurrence, one batched step per time step."""
    b, h, t, dk = q.shape
    dv = v.shape[-1]
    # float32 state and steps, as the task asks (T updates accumulate into S).
    qf, kf, vf, bf = (x.float() for x in (q, k, v, beta))
    qf = qf * dk ** -0.5
    s = torch.zeros(b, h, dk, dv, dtype=torch.float32, device=q.device)
    o = torch.empty(b, h, t, dv, dtype=torch.float32, device=q.device)
    for i in range(t):
        kt = kf[:, :, i]
        u = bf[:, :, i, None] * (vf[:, :, i] - torch.einsum("bhk,bhkv->bhv", kt, s))
        s = s + kt[..., :, None] * u[..., None, :]
        o[:, :, i] = torch.einsum("bhk,bhkv->bhv", qf[:, :, i], s)
    return o.to(q.dtype), s.to(q.dtype)
