# COMPILE_ERROR: tl.arange needs a power-of-two range; Triton rejects the kernel.
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n):
    offs = tl.program_id(0) * 3 + tl.arange(0, 3)
    m = offs < n
    tl.store(o_ptr + offs, tl.load(x_ptr + offs, mask=m) + tl.load(y_ptr + offs, mask=m), mask=m)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 3),)](x, y, out, x.numel())
    return out
