"""Ground truth for masked_add_cuda: each program handles a BLOCK_M x BLOCK_N tile; rows
whose mask is off are neither read nor written, so only the selected rows cost memory
traffic."""

import torch
import triton
import triton.language as tl


@triton.jit
def _masked_add_kernel(x_ptr, y_ptr, mask_ptr, alpha, M, N, stride_x, stride_y,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)
    row_ok = rows < M
    sel = tl.load(mask_ptr + rows, mask=row_ok, other=0) != 0
    m = (row_ok & sel)[:, None] & (cols[None, :] < N)
    r64 = rows.to(tl.int64)  # 64-bit: M * N may pass 2^31
    xp = x_ptr + r64[:, None] * stride_x + cols[None, :]
    x = tl.load(xp, mask=m, other=0.0).to(tl.float32)
    y = tl.load(y_ptr + r64[:, None] * stride_y + cols[None, :], mask=m, other=0.0).to(tl.float32)
    tl.store(xp, (x + alpha * y).to(x_ptr.dtype.element_ty), mask=m)


def masked_add_cuda(x, y, mask, alpha):
    m, n = x.shape
    if m * n == 0:
        return
    y = y.contiguous()
    # A bool tensor's bytes read as uint8 (0 or 1) in the kernel.
    mask_u8 = mask.view(torch.uint8) if mask.dtype == torch.bool else mask
    block_n = min(1024, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)
    grid = (triton.cdiv(m, block_m), triton.cdiv(n, block_n))
    _masked_add_kernel[grid](x, y, mask_u8, float(alpha), m, n, x.stride(0), y.stride(0),
                             BLOCK_M=block_m, BLOCK_N=block_n, num_warps=4)
