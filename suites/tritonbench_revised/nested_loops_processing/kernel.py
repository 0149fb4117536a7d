"""Ground truth for nested_loops_processing: a persistent grid. Each program walks row
bands (outer loop, strided by the number of programs) and, within a band, the column
tiles (inner loop); row_scale is loaded once per band."""

import torch
import triton
import triton.language as tl


@triton.jit
def _scale_bias_relu_kernel(x_ptr, s_ptr, b_ptr, out_ptr, M, N, stride_x, stride_o,
                            BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    num_bands = tl.cdiv(M, BLOCK_M)
    for band in range(tl.program_id(0), num_bands, tl.num_programs(0)):
        rows = band * BLOCK_M + tl.arange(0, BLOCK_M)
        row_ok = rows < M
        r64 = rows.to(tl.int64)  # M * N may pass 2^31
        s = tl.load(s_ptr + rows, mask=row_ok, other=0.0)
        for col0 in range(0, N, BLOCK_N):
            cols = col0 + tl.arange(0, BLOCK_N)
            col_ok = cols < N
            mask = row_ok[:, None] & col_ok[None, :]
            x = tl.load(x_ptr + r64[:, None] * stride_x + cols[None, :], mask=mask, other=0.0)
            b = tl.load(b_ptr + cols, mask=col_ok, other=0.0)
            h = x.to(tl.float32) * s[:, None] + b[None, :]
            y = tl.where(h > 0.0, h, 0.0)
            tl.store(out_ptr + r64[:, None] * stride_o + cols[None, :],
                     y.to(out_ptr.dtype.element_ty), mask=mask)


def nested_loops_processing(x: torch.Tensor, row_scale: torch.Tensor,
                            col_bias: torch.Tensor) -> torch.Tensor:
    m, n = x.shape
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    if out.numel() == 0:
        return out
    block_n = min(512, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)
    bands = triton.cdiv(m, block_m)
    if x.is_cuda:
        programs = 8 * torch.cuda.get_device_properties(x.device).multi_processor_count
    else:
        programs = 4
    grid = (min(bands, programs),)
    _scale_bias_relu_kernel[grid](x, row_scale, col_bias, out, m, n, x.stride(0), out.stride(0),
                                  BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    return out
