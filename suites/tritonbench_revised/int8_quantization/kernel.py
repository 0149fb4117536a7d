"""Ground truth for int8_quantization: each program quantizes BLOCK_M rows. Rows that fit
in one BLOCK_N tile are read once (absmax and codes from registers); longer rows are
streamed twice, once for the absmax and once for the codes."""

import torch
import triton
import triton.language as tl


@triton.jit
def _round_half_even(y):
    # Exact for |y| < 2^23: y - floor(y) is exact, so ties are detected exactly.
    # (Vendor-neutral: no libdevice rint, which the CPU interpreter also lacks.)
    r = tl.floor(y)
    d = y - r
    odd = (r - 2.0 * tl.floor(r * 0.5)) != 0.0
    return tl.where((d > 0.5) | ((d == 0.5) & odd), r + 1.0, r)


@triton.jit
def _quantize(x, scale):
    q = _round_half_even(x / scale[:, None])
    q = tl.minimum(tl.maximum(q, -127.0), 127.0)
    return q.to(tl.int8)


@triton.jit
def _int8_quant_kernel(x_ptr, q_ptr, scale_ptr, M, N, stride_xm, stride_qm,
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, ONE_TILE: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    row_ok = rows < M
    cols = tl.arange(0, BLOCK_N)
    # 64-bit row offsets: M * N can pass 2^31 elements.
    r64 = rows.to(tl.int64)
    x_rows = x_ptr + r64[:, None] * stride_xm
    q_rows = q_ptr + r64[:, None] * stride_qm
    if ONE_TILE:
        mask = row_ok[:, None] & (cols[None, :] < N)
        # float32 before any arithmetic (bf16 arithmetic is wrong in the interpreter).
        x = tl.load(x_rows + cols[None, :], mask=mask, other=0.0).to(tl.float32)
        absmax = tl.max(tl.abs(x), axis=1)
        scale = tl.where(absmax > 0.0, absmax / 127.0, 1.0)
        tl.store(q_rows + cols[None, :], _quantize(x, scale), mask=mask)
    else:
        absmax = tl.zeros((BLOCK_M,), dtype=tl.float32)
        for start in range(0, N, BLOCK_N):
            c = start + cols
            mask = row_ok[:, None] & (c[None, :] < N)
            x = tl.load(x_rows + c[None, :], mask=mask, other=0.0).to(tl.float32)
            absmax = tl.maximum(absmax, tl.max(tl.abs(x), axis=1))
        scale = tl.where(absmax > 0.0, absmax / 127.0, 1.0)
        for start in range(0, N, BLOCK_N):
            c = start + cols
            mask = row_ok[:, None] & (c[None, :] < N)
            x = tl.load(x_rows + c[None, :], mask=mask, other=0.0).to(tl.float32)
            tl.store(q_rows + c[None, :], _quantize(x, scale), mask=mask)
    tl.store(scale_ptr + rows, scale, mask=row_ok)


def int8_quantization(x: torch.Tensor):
    m, n = x.shape
    q = torch.empty((m, n), device=x.device, dtype=torch.int8)
    scale = torch.empty((m,), device=x.device, dtype=torch.float32)
    # Whole rows up to 8192 elements stay in registers; short rows share a program
    # (about 4K elements per program).
    block_n = min(8192, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)
    warps = 8 if block_m * block_n >= 4096 else 4
    grid = (triton.cdiv(m, block_m),)
    _int8_quant_kernel[grid](x, q, scale, m, n, x.stride(0), q.stride(0),
                             BLOCK_M=block_m, BLOCK_N=block_n, ONE_TILE=n <= block_n,
                             num_warps=warps)
    return q, scale
