"""Ground truth for dequantize_rowwise: each program dequantizes one BLOCK_M x BLOCK_N
tile, scaling every row by its absmax / 127."""

import torch
import triton
import triton.language as tl


@triton.jit
def _dequant_kernel(q_ptr, scale_ptr, out_ptr, M, N, stride_qm, stride_qn, stride_om,
                    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    # A 1-D grid flattened over (row tiles, column tiles): no 65535 limit on M.
    pid = tl.program_id(0)
    tiles_n = tl.cdiv(N, BLOCK_N)
    rows = (pid // tiles_n) * BLOCK_M + tl.arange(0, BLOCK_M)
    cols = (pid % tiles_n) * BLOCK_N + tl.arange(0, BLOCK_N)
    row_ok = rows < M
    mask = row_ok[:, None] & (cols[None, :] < N)
    # 64-bit row offsets: M * N can pass 2^31 elements.
    r64 = rows.to(tl.int64)
    q = tl.load(q_ptr + r64[:, None] * stride_qm + cols[None, :] * stride_qn, mask=mask, other=0)
    s = tl.load(scale_ptr + rows, mask=row_ok, other=0.0)
    # Same fp32 operation order as the reference, then one rounding to float16.
    out = q.to(tl.float32) * s[:, None] / 127.0
    tl.store(out_ptr + r64[:, None] * stride_om + cols[None, :], out.to(tl.float16), mask=mask)


def dequantize_rowwise(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    m, n = q.shape
    out = torch.empty((m, n), device=q.device, dtype=torch.float16)
    # ~8K elements per program; short rows share a program.
    block_n = min(1024, triton.next_power_of_2(n))
    block_m = max(1, 8192 // block_n)
    grid = (triton.cdiv(m, block_m) * triton.cdiv(n, block_n),)
    _dequant_kernel[grid](q, scale, out, m, n, q.stride(0), q.stride(1), out.stride(0),
                          BLOCK_M=block_m, BLOCK_N=block_n, num_warps=8)
    return out
