"""Interleaves two equally long vectors into one twice as long: out[2i] = a[i], out[2i+1] = b[i] (two strided stores)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _interleave(a_ptr, b_ptr, o_ptr, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = i < n
    tl.store(o_ptr + 2 * i, tl.load(a_ptr + i, mask=m), mask=m)
    tl.store(o_ptr + 2 * i + 1, tl.load(b_ptr + i, mask=m), mask=m)


def interleave_two(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    o = torch.empty(2 * a.numel(), device=a.device, dtype=a.dtype)
    _interleave[(triton.cdiv(a.numel(), 1024),)](a, b, o, a.numel(), BLOCK=1024)
    return o
