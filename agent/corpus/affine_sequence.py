"""Fills a new 1-D tensor with the arithmetic sequence start + step * i, computed from the program id and tl.arange (no input tensor)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _seq_fill(out_ptr, n, start, step, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(out_ptr + i, start + step * i.to(tl.float32), mask=i < n)


def affine_sequence(n: int, start: float, step: float, device="cuda") -> torch.Tensor:
    out = torch.empty(n, device=device, dtype=torch.float32)
    _seq_fill[(triton.cdiv(n, 1024),)](out, n, start, step, BLOCK=1024)
    return out
