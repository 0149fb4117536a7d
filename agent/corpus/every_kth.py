"""Takes every k-th element of a vector starting at an offset (a strided gather into a compact output)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _every_kth(x_ptr, y_ptr, n_out, k, start, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + i, tl.load(x_ptr + start + i * k, mask=i < n_out), mask=i < n_out)


def every_kth(x: torch.Tensor, k: int, start: int = 0) -> torch.Tensor:
    n_out = (x.numel() - start + k - 1) // k
    y = torch.empty(n_out, device=x.device, dtype=x.dtype)
    _every_kth[(triton.cdiv(n_out, 1024),)](x, y, n_out, k, start, BLOCK=1024)
    return y
