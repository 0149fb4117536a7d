"""Copies the main diagonal of a square matrix into a vector, reading x[i, i] with the row and column strides."""
import torch
import triton
import triton.language as tl


@triton.jit
def _diag(x_ptr, d_ptr, n, s0, s1, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(d_ptr + i, tl.load(x_ptr + i * s0 + i * s1, mask=i < n), mask=i < n)


def diagonal_extract(x: torch.Tensor) -> torch.Tensor:
    n = min(x.shape)
    d = torch.empty(n, device=x.device, dtype=x.dtype)
    _diag[(triton.cdiv(n, 256),)](x, d, n, x.stride(0), x.stride(1), BLOCK=256)
    return d
