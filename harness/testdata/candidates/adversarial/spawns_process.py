# REJECTED_BY_CHECK(leftover_process): correct, but starts a background process and
# returns without waiting for it.
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def triton_add(x, y):
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out

import subprocess


def vector_addition(x, y):
    subprocess.Popen(["sleep", "43.25"])
    return triton_add(x, y)
