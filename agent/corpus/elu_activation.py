"""ELU activation: x for positive x, alpha * (exp(x) - 1) otherwise."""
import torch
import triton
import triton.language as tl


@triton.jit
def _elu(x_ptr, y_ptr, n, alpha, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + i, mask=i < n, other=0.0).to(tl.float32)
    y = tl.where(x > 0, x, alpha * (tl.exp(x) - 1.0))
    tl.store(y_ptr + i, y.to(y_ptr.dtype.element_ty), mask=i < n)


def elu_activation(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    y = torch.empty_like(x)
    _elu[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), alpha, BLOCK=1024)
    return y
