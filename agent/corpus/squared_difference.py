"""Elementwise squared difference (a - b)^2 of two equally shaped tensors, computed in float32 and stored in the input dtype."""
import torch
import triton
import triton.language as tl


@triton.jit
def _sqdiff(a_ptr, b_ptr, o_ptr, count, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    idx = pid * BLOCK + tl.arange(0, BLOCK)
    m = idx < count
    d = tl.load(a_ptr + idx, mask=m).to(tl.float32) - tl.load(b_ptr + idx, mask=m).to(tl.float32)
    tl.store(o_ptr + idx, (d * d).to(o_ptr.dtype.element_ty), mask=m)


def squared_difference(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a, b = a.contiguous(), b.contiguous()
    o = torch.empty_like(a)
    grid = lambda meta: (triton.cdiv(a.numel(), meta["BLOCK"]),)
    _sqdiff[grid](a, b, o, a.numel(), BLOCK=2048)
    return o
