"""Ground truth for log_softmax: rows up to MAX_TILE wide are loaded once into registers
(short rows several to a program); wider rows get one program each and are read twice:
a pass keeping per-lane running maxima and rescaled sums, then the output pass."""

import torch
import triton
import triton.language as tl

MAX_TILE = 16384   # widest row held whole in registers
WIDE_TILE = 4096   # chunk width when streaming a wider row
PACK = 4096        # elements per program when packing short rows


@triton.jit
def _log_softmax_rows_kernel(x_ptr, y_ptr, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    offs = rows.to(tl.int64)[:, None] * N + cols[None, :]  # 64-bit: M * N may pass 2^31
    # Padding lanes read -inf (never the max, exp gives 0). Padding rows are all -inf
    # and give NaN, but are never stored.
    x = tl.load(x_ptr + offs, mask=mask, other=float("-inf")).to(tl.float32)
    shifted = x - tl.max(x, axis=1)[:, None]
    # log(sum exp(shifted)) >= 0, and shifted - it is exact up to one rounding.
    log_sum = tl.log(tl.sum(tl.exp(shifted), axis=1))
    y = shifted - log_sum[:, None]
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _log_softmax_wide_kernel(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    x_row = x_ptr + row * N
    y_row = y_ptr + row * N
    cols = tl.arange(0, BLOCK)
    # N > BLOCK here: the first chunk is full, so every lane's max is finite after it.
    m = tl.full([BLOCK], float("-inf"), tl.float32)
    s = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        x = tl.load(x_row + offs, mask=offs < N, other=float("-inf")).to(tl.float32)
        m_new = tl.maximum(m, x)
        s = s * tl.exp(m - m_new) + tl.exp(x - m_new)
        m = m_new
    row_max = tl.max(m, axis=0)
    log_sum = tl.log(tl.sum(s * tl.exp(m - row_max), axis=0))
    for start in range(0, N, BLOCK):
        offs = start + cols
        mask = offs < N
        x = tl.load(x_row + offs, mask=mask, other=0.0).to(tl.float32)
        y = (x - row_max) - log_sum
        tl.store(y_row + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


def log_softmax(x: torch.Tensor) -> torch.Tensor:
    x = x.contiguous()
    m, n = x.shape
    y = torch.empty_like(x)
    if y.numel() == 0:
        return y
    block_n = triton.next_power_of_2(n)
    if block_n <= MAX_TILE:
        block_m = max(1, min(PACK // block_n, triton.next_power_of_2(m)))
        tile = block_m * block_n
        # 8-16 fp32 values per thread; 16 warps stays within AMD's 1024-thread limit.
        warps = 4 if tile <= 2048 else (8 if tile <= 4096 else 16)
        _log_softmax_rows_kernel[(triton.cdiv(m, block_m),)](
            x, y, m, n, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    else:
        _log_softmax_wide_kernel[(m,)](x, y, n, BLOCK=WIDE_TILE, num_warps=8)
    return y
