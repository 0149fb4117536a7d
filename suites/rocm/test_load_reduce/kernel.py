"""Ground truth for test_load_reduce: maximum of a 2-D tensor along one axis. Programs
load (BLOCK_M, BLOCK_N) tiles and keep an elementwise running max, reduced across the
tile's axis once at the end. Row maxima (axis=1): one program per BLOCK_M rows, walking
the columns. Column maxima (axis=0): the rows are split into chunks so that tall inputs
still spread over many programs; a second launch of the same kernel reduces the
per-chunk partial maxima."""

import torch
import triton
import triton.language as tl

TILE = 4096  # elements per loaded tile


@triton.jit
def _row_max_kernel(x_ptr, out_ptr, M, N, stride_m, NEG: tl.constexpr, ACC: tl.constexpr,
                    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    row_ok = rows < M
    x_rows = x_ptr + rows.to(tl.int64)[:, None] * stride_m  # 64-bit: M * N may pass 2^31
    cols = tl.arange(0, BLOCK_N)
    # Masked lanes read the dtype's lowest value (-inf for floats): they never win.
    # The running max is kept in ACC (float32 or int32), which holds every input value
    # exactly, so the result is exact.
    acc = tl.full([BLOCK_M, BLOCK_N], NEG, ACC)
    for start in range(0, N, BLOCK_N):
        offs = start + cols
        tile = tl.load(x_rows + offs[None, :], mask=row_ok[:, None] & (offs[None, :] < N), other=NEG)
        acc = tl.maximum(acc, tile.to(ACC))
    tl.store(out_ptr + rows, tl.max(acc, axis=1).to(out_ptr.dtype.element_ty), mask=row_ok)


@triton.jit
def _col_max_kernel(x_ptr, out_ptr, M, N, stride_m, rows_per_split, NEG: tl.constexpr,
                    ACC: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    # Program (i, s) reduces columns tile i over rows [s * rows_per_split, ...) and
    # writes row s of the output (shape (splits, N)).
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    col_ok = cols < N
    split = tl.program_id(1)
    row_start = split * rows_per_split
    row_end = tl.minimum(row_start + rows_per_split, M)
    r = tl.arange(0, BLOCK_M)
    acc = tl.full([BLOCK_M, BLOCK_N], NEG, ACC)
    for start in range(row_start, row_end, BLOCK_M):
        rows = start + r
        mask = (rows[:, None] < row_end) & col_ok[None, :]
        tile = tl.load(x_ptr + rows.to(tl.int64)[:, None] * stride_m + cols[None, :], mask=mask, other=NEG)
        acc = tl.maximum(acc, tile.to(ACC))
    tl.store(out_ptr + split.to(tl.int64) * N + cols, tl.max(acc, axis=0).to(out_ptr.dtype.element_ty),
             mask=col_ok)


def _lowest(dtype):
    return float("-inf") if dtype.is_floating_point else torch.iinfo(dtype).min


def _acc_type(dtype):
    # float16/bfloat16 -> float32 and int8 -> int32 are exact; float32/int32 unchanged.
    return tl.float32 if dtype.is_floating_point else tl.int32


def load_reduce(x: torch.Tensor, axis: int) -> torch.Tensor:
    if x.stride(1) != 1:
        x = x.contiguous()
    m, n = x.shape
    neg, acc = _lowest(x.dtype), _acc_type(x.dtype)
    if axis == 1:
        out = torch.empty((m,), device=x.device, dtype=x.dtype)
        block_n = min(1024, triton.next_power_of_2(n))
        block_m = max(1, min(TILE // block_n, triton.next_power_of_2(m)))
        _row_max_kernel[(triton.cdiv(m, block_m),)](x, out, m, n, x.stride(0), NEG=neg, ACC=acc,
                                                     BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
        return out
    block_n = min(256, triton.next_power_of_2(n))
    block_m = TILE // block_n
    tiles_n = triton.cdiv(n, block_n)
    # Aim for ~1024 programs in all; each split covers a whole number of row tiles.
    splits = max(1, min(triton.cdiv(m, block_m), 1024 // tiles_n))
    rows_per_split = triton.cdiv(triton.cdiv(m, splits), block_m) * block_m
    splits = triton.cdiv(m, rows_per_split)
    out = torch.empty((splits, n), device=x.device, dtype=x.dtype)
    _col_max_kernel[(tiles_n, splits)](x, out, m, n, x.stride(0), rows_per_split, NEG=neg, ACC=acc,
                                       BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    if splits == 1:
        return out.view(n)
    final = torch.empty((n,), device=x.device, dtype=x.dtype)
    _col_max_kernel[(tiles_n, 1)](out, final, splits, n, n, splits, NEG=neg, ACC=acc,
                                  BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    return final
