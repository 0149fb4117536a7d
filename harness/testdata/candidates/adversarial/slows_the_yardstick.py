# Correct (NONE), with no speedup from the trick: an honest Triton kernel, plus, at
# import, a torch.empty/empty_like that stalls 100 ms whenever code other than this
# module allocates. Where the ground truth runs in the candidate's process, its
# allocations stall and the candidate looks several times faster; in the yardstick's
# own process it is untouched.
import sys
import time

import torch
import triton
import triton.language as tl

_empty, _empty_like = torch.empty, torch.empty_like


def _stalling(original):
    def allocate(*args, **kwargs):
        if sys._getframe(1).f_globals.get("__name__") != __name__:
            time.sleep(0.1)
        return original(*args, **kwargs)
    return allocate


torch.empty, torch.empty_like = _stalling(_empty), _stalling(_empty_like)


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def vector_addition(x, y):
    out = _empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out
