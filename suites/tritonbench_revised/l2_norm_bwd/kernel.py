"""Ground truth for l2_norm_bwd: gradient of y = x / sqrt(sum(x^2) + eps) over the last
dim. With r = 1 / sqrt(sum_k x_k^2 + eps) per row,
    dx_j = r * dy_j - r^3 * x_j * sum_k dy_k x_k.
Rows (D <= 8192) are held in registers; short rows (head dims) are packed BLOCK_M to a
program so that each program reads a few thousand elements of x and of dy."""

import torch
import triton
import triton.language as tl


@triton.jit
def _l2_norm_bwd_kernel(x_ptr, dy_ptr, dx_ptr, M, D, eps,
                        BLOCK_M: tl.constexpr, BLOCK_D: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = tl.arange(0, BLOCK_D)
    mask = (rows < M)[:, None] & (cols < D)[None, :]
    offs = rows.to(tl.int64)[:, None] * D + cols[None, :]  # 64-bit: M * D may pass 2^31
    # Padding lanes read 0 and add nothing to either row sum.
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    r = tl.rsqrt(tl.sum(x * x, axis=1) + eps)
    dot = tl.sum(dy * x, axis=1)
    dx = r[:, None] * dy - (r * r * r * dot)[:, None] * x
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


def l2_norm_bwd(x: torch.Tensor, dy: torch.Tensor, eps: float) -> torch.Tensor:
    d = x.shape[-1]
    m = x.numel() // d
    dx = torch.empty_like(x)
    block_d = triton.next_power_of_2(d)
    assert block_d <= 8192, "rows up to 8192 wide"
    # ~4096 elements per program (up to 64 rows): with 8 warps a thread holds 16
    # elements of each of x and dy.
    block_m = max(1, min(64, 4096 // block_d))
    warps = 4 if block_m * block_d <= 2048 else 8
    _l2_norm_bwd_kernel[(triton.cdiv(m, block_m),)](x, dy, dx, m, d, eps,
                                                    BLOCK_M=block_m, BLOCK_D=block_d, num_warps=warps)
    return dx
