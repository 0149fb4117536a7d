"""Ground truth for layer_norm_ops: layer normalisation without affine parameters
(elementwise_affine=False) over the channel dim C of a (B, T, C) tensor, seen as
(B*T, C) rows. A row (C <= 16384) is read once into registers; rows narrower than
4096 are packed BLOCK_M to a program, so GPT-style widths (768, 1600, ...) still give
each program a few thousand elements."""

import torch
import triton
import triton.language as tl


@triton.jit
def _layer_norm_noaffine_kernel(x_ptr, y_ptr, M, C, eps, BLOCK_M: tl.constexpr, BLOCK_C: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_C)
    mask = (rows < M)[:, None] & (cols < C)[None, :]
    offs = rows.to(tl.int64)[:, None] * C + cols[None, :]  # 64-bit: B * T * C may pass 2^31
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=1) / C
    # Variance about the mean, from registers (no E[x^2] - mean^2 cancellation);
    # padding lanes must add nothing.
    xc = tl.where(mask, x - mean[:, None], 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(xc * xc, axis=1) / C + eps)
    tl.store(y_ptr + offs, (xc * rstd[:, None]).to(y_ptr.dtype.element_ty), mask=mask)


def layer_norm_ops(x: torch.Tensor, eps: float) -> torch.Tensor:
    c = x.shape[-1]
    m = x.numel() // c
    y = torch.empty_like(x)
    block_c = triton.next_power_of_2(c)
    assert block_c <= 16384, "rows up to 16384 wide"
    block_m = max(1, min(16, 4096 // block_c))
    tile = block_m * block_c
    # At most 32 elements per thread.
    warps = 4 if tile <= 1024 else (8 if tile <= 8192 else 16)
    _layer_norm_noaffine_kernel[(triton.cdiv(m, block_m),)](x, y, m, c, eps, BLOCK_M=block_m,
                                                            BLOCK_C=block_c, num_warps=warps)
    return y
