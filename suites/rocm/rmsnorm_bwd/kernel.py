"""Ground truth for rmsnorm_bwd: backward of y = x * rstd * w (rstd saved by the forward).
Stage 1: a fixed number of programs (about two per SM) each walk a contiguous run of
rows, write dx for every row and keep that run's weight-gradient partial sum in float32
registers, stored once at the end. Stage 2: a column-parallel kernel sums the partials."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _rmsnorm_bwd_dx_kernel(dy_ptr, x_ptr, w_ptr, rstd_ptr, dx_ptr, dw_part_ptr,
                           M, N, stride_dy, stride_x, stride_dx, rows_per_prog,
                           BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    cols = tl.arange(0, BLOCK_N)
    mask = cols < N
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    dw_acc = tl.zeros([BLOCK_N], dtype=tl.float32)
    row_start = pid * rows_per_prog
    row_end = tl.minimum(row_start + rows_per_prog, M)
    # 64-bit row offsets: M * N may pass 2^31; pointers advance one row per iteration.
    first = row_start.to(tl.int64)
    dy_p = dy_ptr + first * stride_dy
    x_p = x_ptr + first * stride_x
    dx_p = dx_ptr + first * stride_dx
    for row in range(row_start, row_end):
        dy = tl.load(dy_p + cols, mask=mask, other=0.0).to(tl.float32)
        x = tl.load(x_p + cols, mask=mask, other=0.0).to(tl.float32)
        rstd = tl.load(rstd_ptr + row)
        g = dy * w
        # d/dx of x * rstd(x): rstd * g - x * rstd^3 * mean(g * x). Padding lanes are 0.
        c = tl.sum(g * x, axis=0) * (rstd * rstd * rstd / N)
        dx = rstd * g - x * c
        tl.store(dx_p + cols, dx.to(dx_ptr.dtype.element_ty), mask=mask)
        dw_acc += dy * x * rstd
        dy_p += stride_dy
        x_p += stride_x
        dx_p += stride_dx
    tl.store(dw_part_ptr + pid.to(tl.int64) * N + cols, dw_acc, mask=mask)


@triton.jit
def _rmsnorm_bwd_dw_kernel(dw_part_ptr, dw_ptr, G, N,
                           BLOCK_G: tl.constexpr, BLOCK_N: tl.constexpr):
    # Each program sums the G partial rows of BLOCK_N columns (coalesced along N).
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    col_ok = cols < N
    acc = tl.zeros([BLOCK_G, BLOCK_N], dtype=tl.float32)
    for start in range(0, G, BLOCK_G):
        rows = start + tl.arange(0, BLOCK_G)
        mask = (rows[:, None] < G) & col_ok[None, :]
        acc += tl.load(dw_part_ptr + rows[:, None] * N + cols[None, :], mask=mask, other=0.0)
    tl.store(dw_ptr + cols, tl.sum(acc, axis=0).to(dw_ptr.dtype.element_ty), mask=col_ok)


def rmsnorm_bwd(dy: torch.Tensor, x: torch.Tensor, weight: torch.Tensor, rstd: torch.Tensor):
    m, n = x.shape
    dy = dy if dy.stride(1) == 1 else dy.contiguous()
    x = x if x.stride(1) == 1 else x.contiguous()
    dx = torch.empty((m, n), device=x.device, dtype=x.dtype)
    dw = torch.empty((n,), device=x.device, dtype=weight.dtype)
    if n == 0:
        return dx, dw
    if m == 0:
        return dx, dw.zero_()
    block_n = triton.next_power_of_2(n)
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        programs = 4  # several programs, each with several rows, in the small tests
    else:
        programs = 2 * torch.cuda.get_device_properties(x.device).multi_processor_count
    programs = min(programs, m)
    rows_per_prog = triton.cdiv(m, programs)
    programs = triton.cdiv(m, rows_per_prog)
    dw_part = torch.empty((programs, n), device=x.device, dtype=torch.float32)
    warps = 4 if block_n <= 1024 else (8 if block_n <= 4096 else 16)
    _rmsnorm_bwd_dx_kernel[(programs,)](
        dy, x, weight, rstd, dx, dw_part, m, n, dy.stride(0), x.stride(0), dx.stride(0),
        rows_per_prog, BLOCK_N=block_n, num_warps=warps)
    block_n2 = min(128, block_n)
    _rmsnorm_bwd_dw_kernel[(triton.cdiv(n, block_n2),)](
        dw_part, dw, programs, n, BLOCK_G=32, BLOCK_N=block_n2, num_warps=4)
    return dx, dw
