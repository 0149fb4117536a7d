"""Linear interpolation between two tensors with a per-element weight tensor: a + w * (b - a)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _lerp(a_ptr, b_ptr, w_ptr, o_ptr, n, BS: tl.constexpr):
    k = tl.program_id(0) * BS + tl.arange(0, BS)
    live = k < n
    a = tl.load(a_ptr + k, mask=live).to(tl.float32)
    b = tl.load(b_ptr + k, mask=live).to(tl.float32)
    w = tl.load(w_ptr + k, mask=live).to(tl.float32)
    tl.store(o_ptr + k, (a + w * (b - a)).to(o_ptr.dtype.element_ty), mask=live)


def lerp_weighted(a, b, w):
    o = torch.empty_like(a)
    _lerp[(triton.cdiv(a.numel(), 1024),)](a, b, w, o, a.numel(), BS=1024)
    return o
