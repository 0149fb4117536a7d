"""Ground truth for triton_mul2: x is treated as a flat array; one program doubles one
block. Doubling in float32 and rounding back is exact for all three dtypes, and a double
past the dtype's maximum rounds to +-inf exactly as PyTorch's in-dtype multiply does
(float32 arithmetic also avoids the interpreter's unreliable bf16 arithmetic)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _mul2_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    # 64-bit offsets: a large tensor may pass 2^31 elements.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0)
    y = (x.to(tl.float32) * 2.0).to(out_ptr.dtype.element_ty)
    tl.store(out_ptr + offs, y, mask=mask)


def triton_mul2(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    block = 4096
    _mul2_kernel[(triton.cdiv(n, block),)](x, out, n, BLOCK=block, num_warps=8)
    return out
