"""chunk_linear_attn: causal linear attention without decay, defined by its parallel form
and evaluated in float64. Per batch b and head h, with q, k (B, H, T, K), v (B, H, T, V):
    o_t = scale * sum_{s <= t} (q_t . k_s) v_s          (o in v's dtype)
    final_state = sum_s k_s^T v_s                       ((B, H, K, V), float32)
chunk_size only says how the kernel splits T; the result does not depend on it."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    d = case.dims
    B, H, T, K, V = d["B"], d["H"], d["T"], d["K"], d["V"]
    q = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    k = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    # Nothing decays, so o_t sums t + 1 terms and the state T outer products: v carries
    # 1 / sqrt(T), so the state entries and the last rows of o are ~N(0, 1) at every T
    # (row t of o has std sqrt((t + 1) / T)) and one set of tolerances fits every case.
    v = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32) / T ** 0.5
    # params: scale (default K**-0.5); a case with another value catches a hard-wired one.
    scale = float(case.params.get("scale", K ** -0.5))
    # params: C, the chunk length handed to the kernel.
    chunk = int(case.params.get("C", 64))
    return [q.to(case.dtype), k.to(case.dtype), v.to(case.dtype), scale, chunk]


def reference(q, k, v, scale, chunk_size):
    B, H, T, K = q.shape
    qd, kd, vd = q.double(), k.double(), v.double()
    o = torch.empty(B, H, T, v.shape[-1], dtype=torch.float64, device=q.device)
    # Query rows in blocks, each against all keys up to its last row: the (rows, T)
    # score blocks stay below ~512 MB at the performance shapes.
    rows = max(1, min(T, (1 << 26) // max(1, B * H * T)))
    for r0 in range(0, T, rows):
        r1 = min(T, r0 + rows)
        scores = qd[:, :, r0:r1] @ kd[:, :, :r1].transpose(-1, -2)          # (B, H, r, r1)
        t_idx = torch.arange(r0, r1, device=q.device)[:, None]
        s_idx = torch.arange(r1, device=q.device)[None, :]
        scores = scores.masked_fill(s_idx > t_idx, 0.0)
        o[:, :, r0:r1] = scale * (scores @ vd[:, :, :r1])
    final_state = kd.transpose(-1, -2) @ vd
    return o.to(v.dtype), final_state.to(torch.float32)


def baseline(q, k, v, scale, chunk_size):
    """What a PyTorch user writes: chunked linear attention, the state a float32 cumsum over chunks."""
    B, H, T, K = q.shape
    C = chunk_size
    N = -(-T // C)
    if N * C != T:  # zero rows past T add nothing
        q, k, v = (F.pad(x, (0, 0, 0, N * C - T)) for x in (q, k, v))
    qc, kc, vc = (x.view(B, H, N, C, -1) for x in (q, k, v))
    # The state sums T outer products and is returned in float32: build it in float32.
    states = (kc.float().transpose(-1, -2) @ vc.float()).cumsum(dim=2)    # (B, H, N, K, V)
    prev = torch.cat([torch.zeros_like(states[:, :, :1]), states[:, :, :-1]], dim=2)
    causal = torch.ones(C, C, dtype=torch.bool, device=q.device).tril()
    scores = (qc @ kc.transpose(-1, -2)).masked_fill(~causal, 0)
    o = (scores @ vc + qc @ prev.to(q.dtype)) * scale
    return o.view(B, H, N * C, -1)[:, :, :T], states[:, :, -1]
