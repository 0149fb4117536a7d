"""fused_rwkv6_kernel: the RWKV-6 time-mix recurrence (the definition), in float64.
Per (batch, head h), S_{-1} = 0 (K x V):
    o_t = r_t (S_{t-1} + diag(u_h) k_t^T v_t),   S_t = diag(exp(w_t)) S_{t-1} + k_t^T v_t,
returning o (B, H, T, V) and S_{T-1} (B, H, K, V) in the inputs' dtype."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, t = case.dims["B"], case.dims["H"], case.dims["T"]
    kd, vd = case.dims["K"], case.dims["V"]

    def randn(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float32)

    # r is scaled by 1/sqrt(K) so r_t S stays the size of the state's entries.
    r = randn(b, h, t, kd) * kd ** -0.5
    k = randn(b, h, t, kd)
    v = randn(b, h, t, vd)
    # Log-space decays w = logsigmoid(x) / 16 in [-inf, 0): per-step decays exp(w) mostly
    # 0.9-1, a few near 1 (long memory), so exp(cumsum(w)) stays in range.
    w = F.logsigmoid(randn(b, h, t, kd)) / 16
    u = randn(h, kd) * 0.5
    return [x.to(case.dtype) for x in (r, k, v, w, u)]


def reference(r, k, v, w, u):
    B, H, T, K = r.shape
    rd, kd, vd, wd, ud = (x.double() for x in (r, k, v, w, u))
    S = torch.zeros(B, H, K, v.shape[-1], dtype=torch.float64, device=r.device)
    o = torch.empty(B, H, T, v.shape[-1], dtype=torch.float64, device=r.device)
    for t in range(T):
        kv = kd[:, :, t, :, None] * vd[:, :, t, None, :]
        o[:, :, t] = ((S + ud[None, :, :, None] * kv) * rd[:, :, t, :, None]).sum(dim=2)
        S = torch.exp(wd[:, :, t, :, None]) * S + kv
    return o.to(r.dtype), S.to(r.dtype)


def baseline(r, k, v, w, u):
    """What a PyTorch user writes: the RWKV-6 recurrence in float32, one step per time step."""
    B, H, T, K = r.shape
    # float32 as the task asks: the state accumulates T steps.
    rf, kf, vf, uf = (x.float() for x in (r, k, v, u))
    decay = torch.exp(w.float())
    S = torch.zeros(B, H, K, v.shape[-1], dtype=torch.float32, device=r.device)
    o = torch.empty(B, H, T, v.shape[-1], dtype=torch.float32, device=r.device)
    for t in range(T):
        rt, kt, vt = rf[:, :, t], kf[:, :, t], vf[:, :, t]
        # r_t (S + diag(u) k_t^T v_t) = r_t S + (r_t . (u * k_t)) v_t
        bonus = (rt * uf * kt).sum(-1, keepdim=True)
        o[:, :, t] = torch.einsum("bhk,bhkv->bhv", rt, S) + bonus * vt
        S = decay[:, :, t, :, None] * S + kt[..., :, None] * vt[..., None, :]
    return o.to(r.dtype), S.to(r.dtype)
