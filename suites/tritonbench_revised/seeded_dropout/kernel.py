"""Ground truth for seeded_dropout: one program draws the Philox numbers for one block of
flat indices and scales or zeroes those elements; no mask is ever stored."""

import torch
import triton
import triton.language as tl


@triton.jit
def _seeded_dropout_kernel(x_ptr, out_ptr, n, p, scale, seed, BLOCK: tl.constexpr):
    # 64-bit offsets: n may pass 2^31 (for offsets below 2^32 Philox sees the same counter
    # as with 32-bit offsets).
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    r = tl.rand(seed, offs)
    out = tl.where(r > p, x * scale, 0.0)
    tl.store(out_ptr + offs, out.to(out_ptr.dtype.element_ty), mask=mask)


def seeded_dropout(x: torch.Tensor, p: float, seed: int) -> torch.Tensor:
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    block = 2048
    # 1 / (1 - p) rounded once to float32: x * scale is within ~1.5 float32 ulps of
    # x / (1 - p).
    _seeded_dropout_kernel[(triton.cdiv(n, block),)](x, out, n, p, 1.0 / (1.0 - p), seed,
                                                     BLOCK=block, num_warps=8)
    return out
