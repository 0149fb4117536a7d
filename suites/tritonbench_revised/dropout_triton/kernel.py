"""Ground truth for dropout_triton: one program scales or zeroes one block of elements
according to the given boolean keep-mask."""

import torch
import triton
import triton.language as tl


@triton.jit
def _masked_dropout_kernel(x_ptr, keep_ptr, out_ptr, n, scale, BLOCK: tl.constexpr):
    # 64-bit offsets: n may pass 2^31 elements.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    # The bool mask is one byte per element.
    keep = tl.load(keep_ptr + offs, mask=mask, other=0) != 0
    out = tl.where(keep, x * scale, 0.0)
    tl.store(out_ptr + offs, out.to(out_ptr.dtype.element_ty), mask=mask)


def dropout_triton(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    block = 4096
    # 1 / (1 - p) rounded once to float32; x * scale is then within 1.5 float32 ulps of
    # x / (1 - p).
    _masked_dropout_kernel[(triton.cdiv(n, block),)](x, keep, out, n, 1.0 / (1.0 - p),
                                                     BLOCK=block, num_warps=8)
    return out
