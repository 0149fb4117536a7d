# Correct: one program loops over the whole vector with a runtime loop bound. Guards
# the interpreter set-up (Triton 3.6's interpreter fails such loops under numpy 2.4).
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    for start in range(0, n, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        m = offs < n
        s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
        tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _add[(1,)](x, y, out, x.numel(), BLOCK=512)
    return out
