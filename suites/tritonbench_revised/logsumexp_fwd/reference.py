"""logsumexp_fwd: row-wise log-sum-exp of a 2-D tensor x (M, N),
    out[i] = log(sum_j exp(x[i, j])),
where x may hold -inf entries (they add nothing) and a row of only -inf gives -inf.
Computed in float64 from x's values, returned as float32 (M,)."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    # params: scale multiplies the normal draws and shift is added (scale 1e4 or shift
    # 1e3 overflow exp(x) in float32 unless the max is subtracted); ninf is the
    # probability an entry is -inf; every 5th row from row 1 is all -inf when full=1;
    # the first `lead` columns of every row are -inf (a kernel that streams the row in
    # chunks then meets chunks with nothing but -inf before any finite value).
    scale = case.params.get("scale", 1.0)
    shift = case.params.get("shift", 0.0)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32) * scale + shift
    p = case.params.get("ninf", 0.0)
    if p > 0:
        x[torch.rand(m, n, generator=gen) < p] = float("-inf")
    if case.params.get("full", 0.0):
        x[1::5] = float("-inf")
    lead = int(case.params.get("lead", 0))
    if lead:
        x[:, :lead] = float("-inf")
    return [x.to(case.dtype)]


def reference(x):
    return torch.logsumexp(x.to(torch.float64), dim=-1).to(torch.float32)


def baseline(x):
    """What a PyTorch user writes: torch.logsumexp on a float32 copy."""
    # float32: the output is float32, and logsumexp of a 16-bit tensor returns 16 bits.
    return torch.logsumexp(x.float(), dim=-1)
