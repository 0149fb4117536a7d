"""Exponential moving average update done in place on the running tensor: avg = avg * (1 - alpha) + alpha * new."""
import torch
import triton
import triton.language as tl


@triton.jit
def _ema(avg_ptr, new_ptr, n, alpha, BLOCK: tl.constexpr):
    o = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = o < n
    avg = tl.load(avg_ptr + o, mask=m).to(tl.float32)
    new = tl.load(new_ptr + o, mask=m).to(tl.float32)
    tl.store(avg_ptr + o, (avg * (1.0 - alpha) + alpha * new).to(avg_ptr.dtype.element_ty), mask=m)


def ema_update(avg: torch.Tensor, new: torch.Tensor, alpha: float) -> torch.Tensor:
    _ema[(triton.cdiv(avg.numel(), 1024),)](avg, new, avg.numel(), alpha, BLOCK=1024)
    return avg
