# WRONG_DTYPE: computes in float64 and returns float64, which would loosen a
# comparison done in the output's dtype.
import torch
import triton
import triton.language as tl


@triton.jit
def _add64(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float64) + tl.load(y_ptr + offs, mask=m).to(tl.float64)
    tl.store(o_ptr + offs, s, mask=m)


def vector_addition(x, y):
    out = torch.empty(x.shape, dtype=torch.float64, device=x.device)
    _add64[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out
