"""Splits a vector into its even-indexed and odd-indexed elements, writing two output vectors from strided loads."""
import torch
import triton
import triton.language as tl


@triton.jit
def _deinterleave(x_ptr, ev_ptr, od_ptr, half, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = i < half
    tl.store(ev_ptr + i, tl.load(x_ptr + 2 * i, mask=m), mask=m)
    tl.store(od_ptr + i, tl.load(x_ptr + 2 * i + 1, mask=m), mask=m)


def split_even_odd(x: torch.Tensor):
    half = x.numel() // 2
    ev = torch.empty(half, device=x.device, dtype=x.dtype)
    od = torch.empty(half, device=x.device, dtype=x.dtype)
    _deinterleave[(triton.cdiv(half, 1024),)](x, ev, od, half, BLOCK=1024)
    return ev, od
