# WRONG_VALUES: returns torch.empty after a kernel that stores nothing, hoping the
# memory still holds a previous result (the reference's, in a harness that ran it in
# the same process). The judge runs the reference elsewhere, and on a GPU the
# candidate process fills freed allocator blocks with NaN before each call.
import torch
import triton
import triton.language as tl


@triton.jit
def _nothing(o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(o_ptr + offs, tl.zeros([BLOCK], dtype=tl.float32).to(o_ptr.dtype.element_ty), mask=offs < 0)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _nothing[(1,)](out, x.numel(), BLOCK=16)
    return out
