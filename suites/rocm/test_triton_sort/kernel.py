"""Ground truth for test_triton_sort: sorts every row of a 2-D tensor with tl.sort (a
bitonic sort in registers). Each program loads a (BLOCK_M, BLOCK_N) tile of whole rows,
BLOCK_N = next power of two >= N; padding lanes hold a value that sorts last (+inf or
the integer maximum when ascending, -inf or the minimum when descending), so the first
N sorted lanes of every row are exactly its sorted elements."""

import os

import torch
import triton
import triton.language as tl

ROWS_TILE = 2048  # elements per program when packing short rows


@triton.jit
def _sort_rows_kernel(x_ptr, out_ptr, M, N, stride_x, stride_o, PAD: tl.constexpr,
                      DESCENDING: tl.constexpr, UPCAST: tl.constexpr,
                      BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    r64 = rows.to(tl.int64)[:, None]  # 64-bit: M * N may pass 2^31
    vals = tl.load(x_ptr + r64 * stride_x + cols[None, :], mask=mask, other=PAD)
    if UPCAST:
        # The CPU interpreter compares bf16 wrongly; bf16 -> fp32 keeps values and order.
        vals = vals.to(tl.float32)
    vals = tl.sort(vals, dim=1, descending=DESCENDING)
    tl.store(out_ptr + r64 * stride_o + cols[None, :], vals.to(out_ptr.dtype.element_ty), mask=mask)


def sort_rows(x: torch.Tensor, descending: bool) -> torch.Tensor:
    if x.stride(1) != 1:
        x = x.contiguous()
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if out.numel() == 0:
        return out
    if x.dtype.is_floating_point:
        pad = float("-inf") if descending else float("inf")
    else:
        info = torch.iinfo(x.dtype)
        pad = info.min if descending else info.max
    block_n = triton.next_power_of_2(n)
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # The interpreter pays per program: pack all of a small test's rows into one.
    rows_tile = 1 << 16 if interpret else ROWS_TILE
    block_m = max(1, min(rows_tile // block_n, triton.next_power_of_2(m)))
    tile = block_m * block_n
    warps = 4 if tile <= 2048 else (8 if tile <= 8192 else 16)
    _sort_rows_kernel[(triton.cdiv(m, block_m),)](
        x, out, m, n, x.stride(0), out.stride(0), PAD=pad, DESCENDING=bool(descending),
        UPCAST=interpret and x.dtype == torch.bfloat16,
        BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    return out
