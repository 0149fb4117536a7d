"""Copies a 2-D region of a matrix into a new contiguous matrix using tl.make_block_ptr with boundary checks (block pointers instead of pointer arithmetic)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _region_copy(x_ptr, y_ptr, R, C, sx0, sx1, BR: tl.constexpr, BC: tl.constexpr):
    pr, pc = tl.program_id(0), tl.program_id(1)
    src = tl.make_block_ptr(x_ptr, shape=(R, C), strides=(sx0, sx1), offsets=(pr * BR, pc * BC),
                            block_shape=(BR, BC), order=(1, 0))
    dst = tl.make_block_ptr(y_ptr, shape=(R, C), strides=(C, 1), offsets=(pr * BR, pc * BC),
                            block_shape=(BR, BC), order=(1, 0))
    tl.store(dst, tl.load(src, boundary_check=(0, 1)), boundary_check=(0, 1))


def block_pointer_copy_2d(x: torch.Tensor, rows: int, cols: int) -> torch.Tensor:
    y = torch.empty((rows, cols), device=x.device, dtype=x.dtype)
    _region_copy[(triton.cdiv(rows, 32), triton.cdiv(cols, 32))](x, y, rows, cols, x.stride(0), x.stride(1), BR=32, BC=32)
    return y
