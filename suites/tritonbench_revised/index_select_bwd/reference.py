"""index_select_bwd: the backward of out = x.index_select(0, index) with respect to x:
    grad_x = zeros(num_rows, D);  grad_x[index[i]] += grad_out[i]  for every i,
so rows named several times accumulate every contribution and rows never named stay 0.
Summed in float64, returned in grad_out's dtype."""

import torch


def make_inputs(case, gen):
    n, d, r = case.dims["N"], case.dims["D"], case.dims["R"]
    grad_out = torch.randn(n, d, generator=gen).to(case.dtype)
    # Indices drawn with replacement: duplicates (also inside one program's block of
    # rows) must accumulate; with N < R some rows get no gradient at all.
    idx_dtype = torch.int32 if case.params.get("int32", 0) else torch.int64
    index = torch.randint(0, r, (n,), generator=gen).to(idx_dtype)
    return [grad_out, index, r]


def reference(grad_out, index, num_rows):
    g = torch.zeros(num_rows, grad_out.shape[1], dtype=torch.float64, device=grad_out.device)
    g.index_add_(0, index.to(torch.int64), grad_out.to(torch.float64))
    return g.to(grad_out.dtype)


def baseline(grad_out, index, num_rows):
    """What a PyTorch user writes: index_add_ into a float32 buffer of zeros."""
    # float32 accumulation, as the task asks (16-bit atomics would round every add).
    g = torch.zeros(num_rows, grad_out.shape[1], dtype=torch.float32, device=grad_out.device)
    g.index_add_(0, index, grad_out.float())
    return g.to(grad_out.dtype)
