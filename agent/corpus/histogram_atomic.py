"""Histogram of integer bin ids: every program reads a block of ids and adds one to each bin with tl.atomic_add."""
import torch
import triton
import triton.language as tl


@triton.jit
def _hist_kernel(ids_ptr, bins_ptr, n, n_bins, BLOCK: tl.constexpr):
    p = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    inside = p < n
    b = tl.load(ids_ptr + p, mask=inside, other=0)
    ok = inside & (b >= 0) & (b < n_bins)
    tl.atomic_add(bins_ptr + b, 1, mask=ok)


def histogram_atomic(ids: torch.Tensor, n_bins: int) -> torch.Tensor:
    bins = torch.zeros(n_bins, dtype=torch.int32, device=ids.device)
    _hist_kernel[(triton.cdiv(ids.numel(), 256),)](ids, bins, ids.numel(), n_bins, BLOCK=256)
    return bins
