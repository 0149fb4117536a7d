"""Ground truth for softmax_triton2: row softmax of x + mask[None, :] with an additive
0 / -inf column mask. Each program holds BLOCK_M whole rows and loads the mask row once
for all of them. A row with nothing but -inf after the mask is written as zeros."""

import torch
import triton
import triton.language as tl

MAX_N = 16384  # widest row the entry point accepts (held whole in registers)
PACK = 4096    # elements per program when packing short rows


@triton.jit
def _masked_softmax_kernel(x_ptr, mask_ptr, y_ptr, M, N,
                           BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_N)
    col_ok = cols < N
    inb = (rows[:, None] < M) & col_ok[None, :]
    offs = rows.to(tl.int64)[:, None] * N + cols[None, :]  # 64-bit: M * N may pass 2^31
    add = tl.load(mask_ptr + cols, mask=col_ok, other=float("-inf"))
    x = tl.load(x_ptr + offs, mask=inb, other=float("-inf")).to(tl.float32)
    z = x + add[None, :]
    row_max = tl.max(z, axis=1)
    # A fully masked row has max -inf: subtract 0 instead (no -inf - -inf), so every
    # exp is 0, the sum is 0 and the row is written as 0.
    ref = tl.where(row_max == float("-inf"), 0.0, row_max)
    e = tl.exp(z - ref[:, None])
    total = tl.sum(e, axis=1)
    inv = tl.where(total > 0.0, 1.0 / total, 0.0)
    tl.store(y_ptr + offs, (e * inv[:, None]).to(y_ptr.dtype.element_ty), mask=inb)


def softmax_triton2(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    x = x.contiguous()
    mask = mask.contiguous()
    m, n = x.shape
    assert n <= MAX_N
    y = torch.empty_like(x)
    if y.numel() == 0:
        return y
    block_n = triton.next_power_of_2(n)
    block_m = max(1, min(PACK // block_n, triton.next_power_of_2(m)))
    tile = block_m * block_n
    # 8-32 fp32 values per thread; 16 warps is AMD's workgroup limit.
    warps = 4 if tile <= 1024 else (8 if tile <= 4096 else 16)
    _masked_softmax_kernel[(triton.cdiv(m, block_m),)](
        x, mask, y, m, n, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    return y
