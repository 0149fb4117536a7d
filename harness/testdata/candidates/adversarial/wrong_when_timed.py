# GPU only. REJECTED_BY_CHECK(timing_outputs): right when checked, but when it finds
# the harness's timing code on its call stack it returns an uninitialised output at
# once. Timed calls are checked too: the pure timed calls' outputs are compared with
# the reference.
import sys

import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def _timed():
    frame = sys._getframe(2)
    while frame is not None:
        if "timed_calls" in frame.f_code.co_filename or "timing" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def vector_addition(x, y):
    out = torch.empty_like(x)
    if _timed():
        return out
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out
