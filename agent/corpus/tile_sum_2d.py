"""Sums each T x T tile of a 2-D matrix into one cell of a smaller grid (2-D program ids, a 2-D block load and a full reduction)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _tile_sum(x_ptr, out_ptr, R, C, grid_c, T: tl.constexpr):
    ti, tj = tl.program_id(0), tl.program_id(1)
    r = ti * T + tl.arange(0, T)[:, None]
    c = tj * T + tl.arange(0, T)[None, :]
    block = tl.load(x_ptr + r * C + c, mask=(r < R) & (c < C), other=0.0).to(tl.float32)
    tl.store(out_ptr + ti * grid_c + tj, tl.sum(tl.sum(block, axis=1), axis=0))


def tile_sum_2d(x: torch.Tensor, tile: int = 16) -> torch.Tensor:
    x = x.contiguous()
    R, C = x.shape
    gr, gc = triton.cdiv(R, tile), triton.cdiv(C, tile)
    out = torch.empty((gr, gc), device=x.device, dtype=torch.float32)
    _tile_sum[(gr, gc)](x, out, R, C, gc, T=tile)
    return out
