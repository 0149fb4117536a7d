"""Ground truth for layer_norm_liger: layer-norm backward from the saved mean and rstd.
With xhat = (x - mean) * rstd and g = dy * w per row,
    dx = rstd * (g - mean_j(g) - xhat * mean_j(g * xhat)),
    dw = sum_rows dy * xhat,   db = sum_rows dy.
A persistent grid of P programs each walks a contiguous block of rows, writing dx and
keeping float32 running sums of dw and db in registers; each program stores its
partial row to a (P, N) buffer, and a second kernel adds the P partials in a fixed
order. No atomics: the result is deterministic run to run."""

import torch
import triton
import triton.language as tl


@triton.jit
def _ln_bwd_rows_kernel(dy_ptr, x_ptr, w_ptr, mean_ptr, rstd_ptr, dx_ptr, dw_part_ptr, db_part_ptr,
                        M, N, rows_per_program, BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    cols = tl.arange(0, BLOCK_N)
    mask = cols < N
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    dw_acc = tl.zeros([BLOCK_N], tl.float32)
    db_acc = tl.zeros([BLOCK_N], tl.float32)
    row_start = pid.to(tl.int64) * rows_per_program  # 64-bit: M * N may pass 2^31
    for i in range(0, rows_per_program):
        row = row_start + i
        row_ok = row < M  # only the last program can run past M
        m = mask & row_ok
        offs = row * N + cols
        x = tl.load(x_ptr + offs, mask=m, other=0.0).to(tl.float32)
        dy = tl.load(dy_ptr + offs, mask=m, other=0.0).to(tl.float32)
        mean = tl.load(mean_ptr + row, mask=row_ok, other=0.0)
        rstd = tl.load(rstd_ptr + row, mask=row_ok, other=0.0)
        # Padding lanes and rows: x = 0 gives xhat = -mean * rstd there, but dy = 0 and
        # w = 0 make g, g * xhat and dy * xhat vanish, so they add nothing to any sum.
        xhat = (x - mean) * rstd
        g = dy * w
        c1 = tl.sum(g, axis=0) / N
        c2 = tl.sum(g * xhat, axis=0) / N
        dx = rstd * (g - c1 - xhat * c2)
        tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=m)
        dw_acc += dy * xhat
        db_acc += dy
    tl.store(dw_part_ptr + pid * N + cols, dw_acc, mask=mask)
    tl.store(db_part_ptr + pid * N + cols, db_acc, mask=mask)


@triton.jit
def _sum_partials_kernel(part_ptr, out_ptr, P, N, BLOCK_P: tl.constexpr, BLOCK_N: tl.constexpr):
    # Column sums of a (P, N) float32 buffer, always in the same order.
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    col_ok = cols < N
    acc = tl.zeros([BLOCK_P, BLOCK_N], tl.float32)
    for p0 in range(0, P, BLOCK_P):
        ps = p0 + tl.arange(0, BLOCK_P)
        m = (ps < P)[:, None] & col_ok[None, :]
        acc += tl.load(part_ptr + ps[:, None] * N + cols[None, :], mask=m, other=0.0)
    tl.store(out_ptr + cols, tl.sum(acc, axis=0).to(out_ptr.dtype.element_ty), mask=col_ok)


def _num_programs(x: torch.Tensor, m: int) -> int:
    # Two programs per multiprocessor keep the GPU busy; more only adds partial rows.
    sms = torch.cuda.get_device_properties(x.device).multi_processor_count if x.is_cuda else 4
    return max(1, min(m, 2 * sms))


def layer_norm_liger(dy: torch.Tensor, x: torch.Tensor, weight: torch.Tensor,
                     mean: torch.Tensor, rstd: torch.Tensor):
    m, n = x.shape
    dx = torch.empty_like(x)
    block_n = triton.next_power_of_2(n)
    assert block_n <= 8192, "rows up to 8192 wide"
    p = _num_programs(x, m)
    rows_per_program = triton.cdiv(m, p)
    p = triton.cdiv(m, rows_per_program)  # drop programs that would get no rows
    dw_part = torch.empty((p, n), device=x.device, dtype=torch.float32)
    db_part = torch.empty((p, n), device=x.device, dtype=torch.float32)
    # Five row-length float32 vectors live per program: at most 16 elements of each
    # per thread.
    warps = 4 if block_n <= 1024 else (8 if block_n <= 4096 else 16)
    _ln_bwd_rows_kernel[(p,)](dy, x, weight, mean, rstd, dx, dw_part, db_part, m, n,
                              rows_per_program, BLOCK_N=block_n, num_warps=warps)
    dw = torch.empty((n,), device=x.device, dtype=weight.dtype)
    db = torch.empty((n,), device=x.device, dtype=weight.dtype)
    grid = (triton.cdiv(n, 128),)
    _sum_partials_kernel[grid](dw_part, dw, p, n, BLOCK_P=32, BLOCK_N=128, num_warps=4)
    _sum_partials_kernel[grid](db_part, db, p, n, BLOCK_P=32, BLOCK_N=128, num_warps=4)
    return dx, dw, db
