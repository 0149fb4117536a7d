"""Halves the length of a 1-D signal by averaging neighbouring pairs: out[i] = (x[2i] + x[2i+1]) / 2 (strided loads)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _pair_avg(x_ptr, y_ptr, n_out, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    ok = i < n_out
    even = tl.load(x_ptr + 2 * i, mask=ok, other=0.0).to(tl.float32)
    odd = tl.load(x_ptr + 2 * i + 1, mask=ok, other=0.0).to(tl.float32)
    tl.store(y_ptr + i, ((even + odd) * 0.5).to(y_ptr.dtype.element_ty), mask=ok)


def downsample_pairs(x: torch.Tensor) -> torch.Tensor:
    n_out = x.numel() // 2
    y = torch.empty(n_out, device=x.device, dtype=x.dtype)
    _pair_avg[(triton.cdiv(n_out, 1024),)](x, y, n_out, BLOCK=1024)
    return y
