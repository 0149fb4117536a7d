"""chunk_bwd_dqkg: gradients (dq, dk) of ungated causal linear attention, defined by its
sequential recurrence (float64, autograd). Per batch b and head h, scale = K**-0.5:
    S_t = S_{t-1} + k_t^T v_t   (S_0 = 0, S_t of shape (K, V)),   o_t = (q_t * scale) S_t,
and dq, dk = d(sum(o * do))/dq, /dk. q, k: (B, H, T, K); v, do: (B, H, T, V)."""

import torch
import torch.nn.functional as F

# Autograd through the recurrence keeps all T states (B*H*T*K*V float64 values: 32 GiB at
# the performance sizes). Past this many values the reference differentiates the same
# function unrolled, o_t = scale * sum_{s<=t} (q_t . k_s) v_s, one batch at a time.
MAX_RECURRENCE_VALUES = 1 << 24


def make_inputs(case, gen):
    d = case.dims
    B, H, T, K, V = d["B"], d["H"], d["T"], d["K"], d["V"]
    q = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    k = torch.randn(B, H, T, K, generator=gen, dtype=torch.float32)
    v = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32)
    # do / sqrt(T): without gates each gradient row sums up to T terms, so this keeps dq
    # and dk of order 1 (std ~0.7, max ~5) at every sequence length.
    do = torch.randn(B, H, T, V, generator=gen, dtype=torch.float32) / T ** 0.5
    return [x.to(case.dtype) for x in (q, k, v, do)]


def _recurrence(q, k, v, scale):
    B, H, T, K = q.shape
    state = torch.zeros(B, H, K, v.shape[-1], dtype=q.dtype, device=q.device)
    outs = []
    for t in range(T):
        state = state + k[:, :, t, :, None] * v[:, :, t, None, :]
        outs.append(torch.einsum("bhk,bhkv->bhv", q[:, :, t] * scale, state))
    return torch.stack(outs, dim=2)


def _unrolled(q, k, v, scale):
    T = q.shape[2]
    causal = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
    scores = (q @ k.transpose(-1, -2)).masked_fill(~causal, 0.0) * scale
    return scores @ v


def reference(q, k, v, do):
    B, H, T, K = q.shape
    V = v.shape[-1]
    scale = K ** -0.5
    dq = torch.empty(B, H, T, K, dtype=torch.float64, device=q.device)
    dk = torch.empty_like(dq)
    small = B * H * T * K * V <= MAX_RECURRENCE_VALUES
    step = B if small else 1
    for b in range(0, B, step):
        q64, k64 = (x[b:b + step].to(torch.float64).requires_grad_() for x in (q, k))
        v64, do64 = (x[b:b + step].to(torch.float64) for x in (v, do))
        o = (_recurrence if small else _unrolled)(q64, k64, v64, scale)
        gq, gk = torch.autograd.grad(o, (q64, k64), grad_outputs=do64)
        dq[b:b + step], dk[b:b + step] = gq, gk
    return dq.to(q.dtype), dk.to(k.dtype)


def baseline(q, k, v, do):
    """What a PyTorch user writes: the chunked form, masked within chunks, cumulative states across."""
    B, H, T, K = q.shape
    C = 64
    N = -(-T // C)
    scale = K ** -0.5
    # float32: each gradient sums up to T terms; 16-bit scores or states (2^-8 in bf16)
    # put values near zero outside the tolerance at T in the thousands.
    qc, kc, vc, doc = (F.pad(x.float(), (0, 0, 0, N * C - T)).view(B, H, N, C, -1)
                       for x in (q, k, v, do))
    future = torch.ones(C, C, dtype=torch.bool, device=q.device).triu(1)
    a = torch.matmul(doc, vc.transpose(-1, -2)).masked_fill_(future, 0.0)   # d(o)/d(q k^T) per chunk
    kv = torch.matmul(kc.transpose(-1, -2), vc)                              # (B, H, N, K, V)
    qdo = torch.matmul(qc.transpose(-1, -2), doc)                            # (B, H, N, K, V)
    kv_before = kv.cumsum(2) - kv                                            # earlier chunks
    qdo_after = qdo.sum(2, keepdim=True) - qdo.cumsum(2)                     # later chunks
    dq = (torch.matmul(a, kc) + torch.matmul(doc, kv_before.transpose(-1, -2))) * scale
    dk = (torch.matmul(a.transpose(-1, -2), qc) + torch.matmul(vc, qdo_after.transpose(-1, -2))) * scale
    return (dq.view(B, H, N * C, K)[:, :, :T].to(q.dtype),
            dk.view(B, H, N * C, K)[:, :, :T].to(k.dtype))
