"""Ground truth for relu_strided_buffer: x is handled as a 4-D strided view (lower ranks
padded with size-1 dims). Each program reads one (BLOCK_R, BLOCK_C) tile of the last two
dims of one (d0, d1) slice through x's strides and writes it to the contiguous output.
A unit stride is specialised by Triton, so loads stay coalesced along whichever dim is
contiguous in memory (the compiler converts the layout for the coalesced store)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _relu_strided_kernel(x_ptr, out_ptr, D1, R, C, sx0, sx1, sxr, sxc,
                         BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr):
    pid = tl.program_id(0)
    tiles_c = tl.cdiv(C, BLOCK_C)
    rows = (pid // tiles_c) * BLOCK_R + tl.arange(0, BLOCK_R)
    cols = (pid % tiles_c) * BLOCK_C + tl.arange(0, BLOCK_C)
    i1 = tl.program_id(1).to(tl.int64)
    i0 = tl.program_id(2).to(tl.int64)
    mask = (rows[:, None] < R) & (cols[None, :] < C)
    r64 = rows.to(tl.int64)  # offsets may pass 2^31
    c64 = cols.to(tl.int64)
    src = x_ptr + i0 * sx0 + i1 * sx1 + r64[:, None] * sxr + c64[None, :] * sxc
    x = tl.load(src, mask=mask, other=0.0)
    y = tl.where(x > 0, x, 0.0).to(x.dtype)
    dst = out_ptr + ((i0 * D1 + i1) * R + r64[:, None]) * C + c64[None, :]
    tl.store(dst, y, mask=mask)


def relu_strided_buffer(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty(x.shape, device=x.device, dtype=x.dtype)
    if x.numel() == 0:
        return out
    shape = [1] * (4 - x.dim()) + list(x.shape)
    strides = [0] * (4 - x.dim()) + list(x.stride())
    d0, d1, r, c = shape
    block_c = min(128, triton.next_power_of_2(c))
    block_r = max(1, min(4096 // block_c, triton.next_power_of_2(r)))
    grid = (triton.cdiv(r, block_r) * triton.cdiv(c, block_c), d1, d0)
    _relu_strided_kernel[grid](x, out, d1, r, c, *strides,
                               BLOCK_R=block_r, BLOCK_C=block_c, num_warps=4)
    return out
