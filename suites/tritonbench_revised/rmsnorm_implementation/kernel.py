"""Ground truth for rmsnorm_implementation: weightless RMSNorm over the head dim of a
(B, H, S, D) tensor, as in QK-norm. Rows are only D = 64-256 elements long, so each
program normalises a BLOCK_M x BLOCK_D tile of BLOCK_M consecutive rows (the tensor is
contiguous, so the tile is one contiguous run of memory)."""

import torch
import triton
import triton.language as tl

TILE_ELEMS = 4096  # elements per program: 16 per thread at 8 warps


@triton.jit
def _rmsnorm_heads_kernel(x_ptr, out_ptr, R, D, eps,
                          BLOCK_M: tl.constexpr, BLOCK_D: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_D)
    mask = (rows[:, None] < R) & (cols[None, :] < D)
    # 64-bit offsets: B * H * S * D may pass 2^31.
    offs = rows.to(tl.int64)[:, None] * D + cols[None, :]
    # Padding lanes read 0 and add nothing to the sums of squares.
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    rstd = tl.rsqrt(tl.sum(x * x, axis=1) / D + eps)
    tl.store(out_ptr + offs, (x * rstd[:, None]).to(out_ptr.dtype.element_ty), mask=mask)


def rmsnorm_implementation(x: torch.Tensor, eps: float) -> torch.Tensor:
    out = torch.empty_like(x, memory_format=torch.contiguous_format)
    d = x.shape[-1]
    rows = x.numel() // d if d else 0
    if rows == 0:
        return out
    x = x.contiguous()  # a no-op for the contiguous inputs this task gives
    block_d = triton.next_power_of_2(d)
    block_m = max(1, TILE_ELEMS // block_d)
    warps = 8 if block_m * block_d >= 4096 else 4
    grid = (triton.cdiv(rows, block_m),)
    _rmsnorm_heads_kernel[grid](x, out, rows, d, eps, BLOCK_M=block_m, BLOCK_D=block_d,
                                num_warps=warps)
    return out
