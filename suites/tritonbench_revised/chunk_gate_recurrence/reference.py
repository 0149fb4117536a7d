"""chunk_gate_recurrence: the inter-chunk state pass of chunked gated linear attention.
x (B, H, N, K, V) holds each chunk's state increment and g (B, H, N) float32 each
chunk's log decay (<= 0). Per (b, h), with h_0 = 0 (K x V):
    h_n = exp(g[b, h, n-1]) * h_{n-1} + x[b, h, n-1],  n = 1..N,
and out[b, h, n-1] = h_n, a float32 (B, H, N, K, V) tensor. Computed in float64."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, n = case.dims["B"], case.dims["H"], case.dims["N"]
    dk, dv = case.dims["K"], case.dims["V"]
    # params: gate_mul multiplies logsigmoid(normal) log decays (default 1: a chunk keeps
    # ~45% of the state on average; 100 gives decays down to e^-300, i.e. h_n = x_n
    # up to underflow); zero_gate=1 sets g = 0 (no decay: a running sum over the chunks).
    x = torch.randn(b, h, n, dk, dv, generator=gen, dtype=torch.float32)
    g = F.logsigmoid(torch.randn(b, h, n, generator=gen, dtype=torch.float32))
    g = g * case.params.get("gate_mul", 1.0)
    if case.params.get("zero_gate", 0.0):
        g = torch.zeros_like(g)
    return [x.to(case.dtype), g]


def reference(x, g):
    n = x.shape[2]
    x64, a64 = x.to(torch.float64), torch.exp(g.to(torch.float64))
    out = torch.empty(x.shape, dtype=torch.float64, device=x.device)
    state = torch.zeros_like(x64[:, :, 0])
    for i in range(n):
        state = a64[:, :, i, None, None] * state + x64[:, :, i]
        out[:, :, i] = state
    return out.to(torch.float32)


def baseline(x, g):
    """What a PyTorch user writes: the recurrence's parallel form, h = L x with L the decay matrix."""
    b, h, n, dk, dv = x.shape
    # h_n = sum_{m <= n} (prod_{m < j <= n} exp(g_j)) x_m. The products come from a cumprod
    # of the decays (exp of differences of cumulative log-decays would lose precision), in
    # float32, the output's dtype.
    a = torch.exp(g)[..., :, None].expand(b, h, n, n)                    # a[.., j, m] = exp(g_j)
    later = torch.ones(n, n, dtype=torch.bool, device=x.device).tril(-1)   # j > m
    decay = torch.where(later, a, 1.0).cumprod(dim=-2).tril()              # (B, H, N, N)
    out = torch.matmul(decay, x.reshape(b, h, n, dk * dv).float())
    return out.view(b, h, n, dk, dv)
