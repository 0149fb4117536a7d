# Correct (NONE) where the kernel has Landlock: at import it tries to plant a file
# beside itself, outside its private folder (where it could rewrite a task, the harness
# or a compile cache the yardstick reads); the write is refused. Were it to succeed,
# the kernel returns wrong values, so the verdict shows it (WRONG_VALUES).
import os

import torch
import triton
import triton.language as tl

try:
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "planted_by_candidate.txt"), "w") as f:
        f.write("planted\n")
    _PLANTED = True
except OSError:
    _PLANTED = False


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def vector_addition(x, y):
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out + 1.0 if _PLANTED else out
