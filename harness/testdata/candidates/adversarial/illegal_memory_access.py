# GPU only. CRASH: stores 2^40 elements past the output, which the GPU reports as an
# illegal memory access; the device context is lost, the next candidate runs in a
# fresh process.
import torch
import triton
import triton.language as tl


@triton.jit
def _wild(o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    far = offs.to(tl.int64) + (1 << 40)
    tl.store(o_ptr + far, tl.zeros([BLOCK], dtype=tl.float32).to(o_ptr.dtype.element_ty))


def vector_addition(x, y):
    out = torch.empty_like(x)
    _wild[(triton.cdiv(x.numel(), 1024),)](out, x.numel(), BLOCK=1024)
    return out
