# WRONG_VALUES: forgets the last partial block, so tails keep whatever memory held.
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    s = tl.load(x_ptr + offs).to(tl.float32) + tl.load(y_ptr + offs).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty))


def vector_addition(x, y):
    out = torch.full_like(x, float("nan"))
    _add[(x.numel() // 64,)](x, y, out, BLOCK=64)
    return out
