"""Sums variable-length segments of a flat vector given segment start offsets (CSR style): one program per segment, looping over its elements."""
import torch
import triton
import triton.language as tl


@triton.jit
def _segsum(x_ptr, offs_ptr, out_ptr, BLOCK: tl.constexpr):
    s = tl.program_id(0)
    lo = tl.load(offs_ptr + s)
    hi = tl.load(offs_ptr + s + 1)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for p in range(lo, hi, BLOCK):
        k = p + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + k, mask=k < hi, other=0.0).to(tl.float32)
    tl.store(out_ptr + s, tl.sum(acc, axis=0))


def segment_sum_offsets(x: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
    segs = offsets.numel() - 1
    out = torch.empty(segs, device=x.device, dtype=torch.float32)
    _segsum[(segs,)](x, offsets, out, BLOCK=256)
    return out
