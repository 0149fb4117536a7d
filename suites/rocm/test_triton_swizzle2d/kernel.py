"""Ground truth for test_triton_swizzle2d: a tiled copy whose programs visit the tiles in
grouped ("swizzled") order. Launch index pid is first read as a row-major tile index
(pid // tiles_n, pid % tiles_n), then tl.swizzle2d remaps it so that consecutive
programs walk down a band of GROUP_M tile-rows column by column. Each program copies its
tile of x and records its own pid over the tile, so the ordering is observable."""

import torch
import triton
import triton.language as tl


@triton.jit
def _swizzle2d_copy_kernel(x_ptr, y_ptr, owner_ptr, M, N, stride_x, stride_y, stride_o,
                           GROUP_M: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    tile_m, tile_n = tl.swizzle2d(pid // tiles_n, pid % tiles_n, tiles_m, tiles_n, GROUP_M)
    rows = tile_m * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tile_n * BLOCK_N + tl.arange(0, BLOCK_N)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    r64 = rows.to(tl.int64)[:, None]  # 64-bit: M * N may pass 2^31
    vals = tl.load(x_ptr + r64 * stride_x + cols[None, :], mask=mask)
    tl.store(y_ptr + r64 * stride_y + cols[None, :], vals, mask=mask)
    owner = tl.full([BLOCK_M, BLOCK_N], 0, tl.int32) + pid
    tl.store(owner_ptr + r64 * stride_o + cols[None, :], owner, mask=mask)


def swizzle2d_copy(x: torch.Tensor, block_m: int, block_n: int, group_m: int):
    if x.stride(1) != 1:
        x = x.contiguous()
    m, n = x.shape
    y = torch.empty((m, n), device=x.device, dtype=x.dtype)
    owner = torch.empty((m, n), device=x.device, dtype=torch.int32)
    if y.numel() == 0:
        return y, owner
    grid = (triton.cdiv(m, block_m) * triton.cdiv(n, block_n),)
    # ~16 elements per thread per output.
    warps = max(1, min(16, block_m * block_n // 512))
    _swizzle2d_copy_kernel[grid](x, y, owner, m, n, x.stride(0), y.stride(0), owner.stride(0),
                                 GROUP_M=group_m, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=warps)
    return y, owner
