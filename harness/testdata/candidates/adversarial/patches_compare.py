# WRONG_VALUES: returns zeros and patches the harness's comparison (and torch's) to
# say everything matches. The comparison runs in the judge's process, which the
# candidate's patches never reach.
import sys

import torch
import triton
import triton.language as tl


@triton.jit
def _zero(o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(o_ptr + offs, tl.zeros([BLOCK], dtype=tl.float32).to(o_ptr.dtype.element_ty), mask=offs < n)


def _agree(*args, **kwargs):
    return (0.0, 0.0, 0.0)


def vector_addition(x, y):
    for name in ("compare", "harness.python.compare"):
        module = sys.modules.get(name)
        if module is not None:
            module.compare_outputs = _agree
    try:
        import compare  # the harness folder may be on sys.path

        compare.compare_outputs = _agree
    except ImportError:
        pass
    torch.allclose = lambda *a, **k: True
    out = torch.empty_like(x)
    _zero[(triton.cdiv(x.numel(), 1024),)](out, x.numel(), BLOCK=1024)
    return out
