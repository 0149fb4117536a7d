"""Sums a 2-D matrix down its columns: each program owns a strip of columns and walks over the rows in chunks, accumulating in float32."""
import torch
import triton
import triton.language as tl


@triton.jit
def _colsum(x_ptr, y_ptr, n_rows, n_cols, stride, BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr):
    cols = tl.program_id(0) * BLOCK_C + tl.arange(0, BLOCK_C)
    acc = tl.zeros([BLOCK_C], dtype=tl.float32)
    for start in range(0, n_rows, BLOCK_R):
        rows = start + tl.arange(0, BLOCK_R)
        tile = tl.load(x_ptr + rows[:, None] * stride + cols[None, :],
                       mask=(rows[:, None] < n_rows) & (cols[None, :] < n_cols), other=0.0)
        acc += tl.sum(tile.to(tl.float32), axis=0)
    tl.store(y_ptr + cols, acc.to(y_ptr.dtype.element_ty), mask=cols < n_cols)


def column_sum(x: torch.Tensor) -> torch.Tensor:
    n_rows, n_cols = x.shape
    y = torch.empty(n_cols, device=x.device, dtype=x.dtype)
    _colsum[(triton.cdiv(n_cols, 64),)](x, y, n_rows, n_cols, x.stride(0), BLOCK_R=32, BLOCK_C=64)
    return y
