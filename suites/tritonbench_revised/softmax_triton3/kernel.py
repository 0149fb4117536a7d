"""Ground truth for softmax_triton3: softmax backward, dx = y * (dy - sum(dy * y)) per
row. Rows up to MAX_TILE wide are loaded once (short rows several to a program); wider
rows get one program each and are read twice: once for the row's dot(dy, y), once to
write dx."""

import torch
import triton
import triton.language as tl

MAX_TILE = 8192    # widest row held whole in registers (two inputs)
WIDE_TILE = 4096   # chunk width when streaming a wider row
PACK = 4096        # elements per program when packing short rows


@triton.jit
def _softmax_bwd_rows_kernel(y_ptr, dy_ptr, dx_ptr, M, N,
                             BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    offs = rows.to(tl.int64)[:, None] * N + cols[None, :]  # 64-bit: M * N may pass 2^31
    # Padding lanes read 0 and add nothing to the dot product.
    y = tl.load(y_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    dot = tl.sum(dy * y, axis=1)
    dx = y * (dy - dot[:, None])
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _softmax_bwd_wide_kernel(y_ptr, dy_ptr, dx_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    base = row * N
    cols = tl.arange(0, BLOCK)
    # Per-lane partial dot products, reduced once after the sweep.
    acc = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        mask = offs < N
        y = tl.load(y_ptr + base + offs, mask=mask, other=0.0).to(tl.float32)
        dy = tl.load(dy_ptr + base + offs, mask=mask, other=0.0).to(tl.float32)
        acc += dy * y
    dot = tl.sum(acc, axis=0)
    for start in range(0, N, BLOCK):
        offs = start + cols
        mask = offs < N
        y = tl.load(y_ptr + base + offs, mask=mask, other=0.0).to(tl.float32)
        dy = tl.load(dy_ptr + base + offs, mask=mask, other=0.0).to(tl.float32)
        dx = y * (dy - dot)
        tl.store(dx_ptr + base + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


def softmax_triton3(y: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    y = y.contiguous()
    dy = dy.contiguous()
    m, n = y.shape
    dx = torch.empty_like(y)
    if dx.numel() == 0:
        return dx
    block_n = triton.next_power_of_2(n)
    if block_n <= MAX_TILE:
        block_m = max(1, min(PACK // block_n, triton.next_power_of_2(m)))
        tile = block_m * block_n
        # 8-16 elements of each input per thread.
        warps = 4 if tile <= 2048 else (8 if tile <= 4096 else 16)
        _softmax_bwd_rows_kernel[(triton.cdiv(m, block_m),)](
            y, dy, dx, m, n, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    else:
        _softmax_bwd_wide_kernel[(m,)](y, dy, dx, n, BLOCK=WIDE_TILE, num_warps=8)
    return dx
