# WRONG_VALUES: NaN everywhere (a comparison with NaN is false, so a naive
# `abs(out - ref) > tol` test would pass it).
import torch
import triton
import triton.language as tl


@triton.jit
def _nan(o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    v = tl.full([BLOCK], float("nan"), tl.float32)
    tl.store(o_ptr + offs, v.to(o_ptr.dtype.element_ty), mask=offs < n)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _nan[(triton.cdiv(x.numel(), 1024),)](out, x.numel(), BLOCK=1024)
    return out
