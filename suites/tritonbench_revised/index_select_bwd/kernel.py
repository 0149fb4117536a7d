"""Ground truth for index_select_bwd: a scatter-add with float32 atomics. Each program
adds a BLOCK_N x BLOCK_D tile of grad_out into the rows its indices name (duplicates
accumulate, in whatever order the atomics land); 16-bit outputs are accumulated in a
float32 buffer and rounded once at the end."""

import torch
import triton
import triton.language as tl


@triton.jit
def _scatter_add_kernel(g_ptr, idx_ptr, acc_ptr, N, D, stride_g, stride_a,
                        BLOCK_N: tl.constexpr, BLOCK_D: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    cols = tl.program_id(1) * BLOCK_D + tl.arange(0, BLOCK_D)
    row_ok = rows < N
    mask = row_ok[:, None] & (cols[None, :] < D)
    dst = tl.load(idx_ptr + rows, mask=row_ok, other=0).to(tl.int64)
    g = tl.load(g_ptr + rows.to(tl.int64)[:, None] * stride_g + cols[None, :],
                mask=mask, other=0.0).to(tl.float32)
    # Relaxed ordering: only the sums matter, not the order the adds become visible in.
    tl.atomic_add(acc_ptr + dst[:, None] * stride_a + cols[None, :], g, mask=mask, sem="relaxed")


@triton.jit
def _cast_kernel(src_ptr, dst_ptr, numel, BLOCK: tl.constexpr):
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    x = tl.load(src_ptr + offs, mask=mask)
    tl.store(dst_ptr + offs, x.to(dst_ptr.dtype.element_ty), mask=mask)


def index_select_bwd(grad_out, index, num_rows):
    n, d = grad_out.shape
    grad_out = grad_out.contiguous()
    acc = torch.zeros((num_rows, d), device=grad_out.device, dtype=torch.float32)
    if n > 0:
        block_d = min(512, triton.next_power_of_2(d))
        block_n = max(1, 2048 // block_d)
        grid = (triton.cdiv(n, block_n), triton.cdiv(d, block_d))
        _scatter_add_kernel[grid](grad_out, index, acc, n, d, grad_out.stride(0), acc.stride(0),
                                  BLOCK_N=block_n, BLOCK_D=block_d, num_warps=4)
    if grad_out.dtype == torch.float32:
        return acc
    out = torch.empty((num_rows, d), device=grad_out.device, dtype=grad_out.dtype)
    numel = out.numel()
    if numel:
        _cast_kernel[(triton.cdiv(numel, 4096),)](acc, out, numel, BLOCK=4096, num_warps=4)
    return out
