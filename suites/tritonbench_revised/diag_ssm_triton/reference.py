"""diag_ssm_triton: h_t = a_t * h_{t-1} + b_t * x_t with h_{-1} = 0 and y_t = h_t,
per (batch, channel) over time, for (B, T, D) float32 inputs; the sequential recurrence
in float64, returned in float32."""

import torch


def make_inputs(case, gen):
    bsz, t, d = case.dims["B"], case.dims["T"], case.dims["D"]
    # params: a_lo is the smallest decay. The default draws a in (0.8, 0.999): long
    # memories (up to ~1000 steps), the regime of SSM decays; a_lo=0.001 mixes in
    # near-zero decays that reset the state.
    a_lo = case.params.get("a_lo", 0.8)
    x = torch.randn(bsz, t, d, generator=gen, dtype=torch.float32)
    a = (a_lo + (0.999 - a_lo) * torch.rand(bsz, t, d, generator=gen)).float()
    b = torch.randn(bsz, t, d, generator=gen, dtype=torch.float32)
    return [x, a, b]


def reference(x, a, b):
    xd, ad, bd = x.double(), a.double(), b.double()
    h = torch.zeros(x.shape[0], x.shape[2], dtype=torch.float64, device=x.device)
    y = torch.empty_like(xd)
    for t in range(x.shape[1]):
        h = ad[:, t] * h + bd[:, t] * xd[:, t]
        y[:, t] = h
    return y.float()


def baseline(x, a, b):
    """What a PyTorch user writes: the float32 recurrence, one step of tensor ops per t."""
    bx = b * x
    y = torch.empty_like(x)
    h = torch.zeros_like(x[:, 0])
    for t in range(x.shape[1]):
        h = torch.addcmul(bx[:, t], a[:, t], h)
        y[:, t] = h
    return y
