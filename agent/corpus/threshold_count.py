"""Counts how many elements exceed a threshold: each program counts its block and adds the count to one global counter atomically."""
import torch
import triton
import triton.language as tl


@triton.jit
def _count_above(x_ptr, counter_ptr, n, thr, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    v = tl.load(x_ptr + i, mask=i < n, other=thr)
    local = tl.sum((v > thr).to(tl.int32), axis=0)
    tl.atomic_add(counter_ptr, local)


def threshold_count(x: torch.Tensor, thr: float) -> torch.Tensor:
    counter = torch.zeros(1, device=x.device, dtype=torch.int32)
    _count_above[(triton.cdiv(x.numel(), 2048),)](x, counter, x.numel(), thr, BLOCK=2048)
    return counter
