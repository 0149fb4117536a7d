"""Ground truth for test_kernel_sub: out = x - alpha * y over 2-D tensors whose rows may
be padded. Each program handles one (BLOCK_M, BLOCK_N) tile; a 1-D grid is flattened
over (row tiles, column tiles) so M is not limited by the grid's second dimension."""

import torch
import triton
import triton.language as tl


@triton.jit
def _sub_kernel(x_ptr, y_ptr, out_ptr, M, N, stride_x, stride_y, stride_o, alpha,
                BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    tiles_n = tl.cdiv(N, BLOCK_N)
    rows = (pid // tiles_n) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = (pid % tiles_n) * BLOCK_N + tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    r64 = rows.to(tl.int64)[:, None]  # 64-bit: M * stride may pass 2^31
    x = tl.load(x_ptr + r64 * stride_x + cols[None, :], mask=mask).to(tl.float32)
    y = tl.load(y_ptr + r64 * stride_y + cols[None, :], mask=mask).to(tl.float32)
    out = x - alpha * y
    tl.store(out_ptr + r64 * stride_o + cols[None, :], out.to(out_ptr.dtype.element_ty), mask=mask)


def sub(x: torch.Tensor, y: torch.Tensor, alpha: float) -> torch.Tensor:
    x = x if x.stride(1) == 1 else x.contiguous()
    y = y if y.stride(1) == 1 else y.contiguous()
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if out.numel() == 0:
        return out
    # ~4K elements per tile; short rows share a tile.
    block_n = min(1024, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)
    grid = (triton.cdiv(m, block_m) * triton.cdiv(n, block_n),)
    _sub_kernel[grid](x, y, out, m, n, x.stride(0), y.stride(0), out.stride(0), alpha,
                      BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    return out
