"""Repeats a row vector R times into an [R, C] matrix, one program per output row."""
import torch
import triton
import triton.language as tl


@triton.jit
def _bcast_rows(v_ptr, o_ptr, C, BLOCK: tl.constexpr):
    r = tl.program_id(0)
    for s in range(0, C, BLOCK):
        c = s + tl.arange(0, BLOCK)
        tl.store(o_ptr + r * C + c, tl.load(v_ptr + c, mask=c < C), mask=c < C)


def broadcast_rows(v: torch.Tensor, rows: int) -> torch.Tensor:
    o = torch.empty((rows, v.numel()), device=v.device, dtype=v.dtype)
    _bcast_rows[(rows,)](v, o, v.numel(), BLOCK=1024)
    return o
