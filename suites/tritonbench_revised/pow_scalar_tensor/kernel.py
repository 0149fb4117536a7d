"""Ground truth for pow_scalar_tensor: base ** x = 2 ** (x * log2(base)), with log2(base)
computed once on the host in double precision; x is treated as a flat array."""

import math

import torch
import triton
import triton.language as tl


@triton.jit
def _pow_scalar_kernel(x_ptr, out_ptr, n, log2_base, BLOCK: tl.constexpr):
    # 64-bit offsets: a large tensor may pass 2^31 elements.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    y = tl.exp2(x * log2_base)
    tl.store(out_ptr + offs, y.to(out_ptr.dtype.element_ty), mask=mask)


def pow_scalar_tensor(x: torch.Tensor, base: float) -> torch.Tensor:
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    block = 2048
    _pow_scalar_kernel[(triton.cdiv(n, block),)](x, out, n, math.log2(base), BLOCK=block, num_warps=8)
    return out
