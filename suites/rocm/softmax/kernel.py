"""Ground truth for softmax: row softmax over the last dim of a row-strided 2-D tensor.
Rows up to MAX_TILE wide are read once into registers (short rows are packed several to
a program); wider rows get one program each and are streamed twice: an online pass for
the running max and rescaled sum, then an output pass."""

import torch
import triton
import triton.language as tl

MAX_TILE = 32768   # widest row kept whole in registers
WIDE_TILE = 8192   # chunk width when streaming a wider row
ROWS_TILE = 4096   # elements per program when packing short rows


@triton.jit
def _softmax_rows_kernel(x_ptr, y_ptr, M, N, stride_x, stride_y,
                         BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    r64 = rows.to(tl.int64)  # 64-bit: M * stride may pass 2^31
    # Padding lanes read -inf: they never win the max and exp(-inf) adds 0 to the sum.
    # Padding rows are all -inf and produce NaN, but are never stored.
    x = tl.load(x_ptr + r64[:, None] * stride_x + cols[None, :], mask=mask,
                other=float("-inf")).to(tl.float32)
    # Subtracting the row max keeps every exponent <= 0, so exp cannot overflow.
    e = tl.exp(x - tl.max(x, axis=1)[:, None])
    y = e / tl.sum(e, axis=1)[:, None]
    tl.store(y_ptr + r64[:, None] * stride_y + cols[None, :], y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _softmax_wide_kernel(x_ptr, y_ptr, N, stride_x, stride_y, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    x_row = x_ptr + row * stride_x
    y_row = y_ptr + row * stride_y
    cols = tl.arange(0, BLOCK)
    # Per-lane running max m and sum s of exp(x - m), rescaled whenever m grows. N >
    # BLOCK, so the first chunk is full and every lane's m is finite after it.
    m = tl.full([BLOCK], float("-inf"), tl.float32)
    s = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, x)
        s = s * tl.exp(m - m_new) + tl.exp(x - m_new)
        m = m_new
    row_max = tl.max(m, axis=0)
    inv_total = 1.0 / tl.sum(s * tl.exp(m - row_max), axis=0)
    for start in range(0, N, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32)
        y = tl.exp(x - row_max) * inv_total
        tl.store(y_row + offs, y.to(y_ptr.dtype.element_ty), mask=offs < N)


def softmax(x: torch.Tensor) -> torch.Tensor:
    m, n = x.shape
    if x.stride(1) != 1:
        x = x.contiguous()
    y = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if y.numel() == 0:
        return y
    block_n = triton.next_power_of_2(n)
    if block_n <= MAX_TILE:
        block_m = max(1, min(ROWS_TILE // block_n, triton.next_power_of_2(m)))
        tile = block_m * block_n
        # At most 32 elements per thread; AMD caps a workgroup at 16 wavefronts of 64.
        warps = 4 if tile <= 2048 else (8 if tile <= 8192 else (16 if tile <= 16384 else 32))
        if torch.version.hip:
            warps = min(warps, 16)
        _softmax_rows_kernel[(triton.cdiv(m, block_m),)](
            x, y, m, n, x.stride(0), y.stride(0), BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    else:
        _softmax_wide_kernel[(m,)](x, y, n, x.stride(0), y.stride(0), BLOCK=WIDE_TILE, num_warps=16)
    return y
