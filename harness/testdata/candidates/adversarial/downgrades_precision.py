# WRONG_VALUES: adds in bfloat16 and casts back, twice as fast on memory-bound sizes
# where the task's tolerance is loose; the float32 tolerance is not.
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.bfloat16) + tl.load(y_ptr + offs, mask=m).to(tl.bfloat16)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out
