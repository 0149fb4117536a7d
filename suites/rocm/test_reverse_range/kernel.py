"""Ground truth for test_reverse_range: copies a 1-D tensor with the sub-range [lo, hi)
reversed. Each program writes BLOCK consecutive outputs; an output inside the range
reads its mirror lo + hi - 1 - i (a reversed tl.arange, still one contiguous run of
addresses per block), an output outside it reads its own position."""

import torch
import triton
import triton.language as tl


@triton.jit
def _reverse_range_kernel(x_ptr, out_ptr, n, lo, hi, BLOCK: tl.constexpr):
    # 64-bit offsets: n may pass 2^31.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    inside = (offs >= lo) & (offs < hi)
    src = tl.where(inside, (lo + hi - 1) - offs, offs)
    vals = tl.load(x_ptr + src, mask=mask)
    tl.store(out_ptr + offs, vals, mask=mask)


def reverse_range(x: torch.Tensor, lo: int, hi: int) -> torch.Tensor:
    x = x.contiguous()
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    block = 4096  # 16 fp32 elements per thread with 8 warps
    _reverse_range_kernel[(triton.cdiv(n, block),)](x, out, n, lo, hi, BLOCK=block, num_warps=8)
    return out
