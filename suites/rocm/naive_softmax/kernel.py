"""Ground truth for naive_softmax: a plain three-pass masked row softmax, one kernel per
pass: (1) each row's max over kept entries, (2) each row's sum of exp(x - max) over kept
entries, (3) the normalised output, elementwise. Every pass re-reads x and the mask,
and the row statistics go through global memory."""

import torch
import triton
import triton.language as tl

BLOCK = 1024


@triton.jit
def _row_max_kernel(x_ptr, keep_ptr, max_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    acc = tl.full([BLOCK], float("-inf"), tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        inb = offs < N
        x = tl.load(x_ptr + row * N + offs, mask=inb, other=0.0).to(tl.float32)
        keep = tl.load(keep_ptr + row * N + offs, mask=inb, other=0) != 0
        acc = tl.maximum(acc, tl.where(keep, x, float("-inf")))
    # -inf for a row with nothing kept.
    tl.store(max_ptr + row, tl.max(acc, axis=0))


@triton.jit
def _row_sum_kernel(x_ptr, keep_ptr, max_ptr, sum_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    row_max = tl.load(max_ptr + row)
    cols = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + cols
        inb = offs < N
        x = tl.load(x_ptr + row * N + offs, mask=inb, other=0.0).to(tl.float32)
        keep = tl.load(keep_ptr + row * N + offs, mask=inb, other=0) != 0
        # Subtracting the max keeps exponents <= 0. Dropped lanes (including every lane
        # of a fully masked row, where x - max is +inf or NaN) add exactly 0.
        acc += tl.where(keep, tl.exp(x - row_max), 0.0)
    tl.store(sum_ptr + row, tl.sum(acc, axis=0))


@triton.jit
def _normalize_kernel(x_ptr, keep_ptr, max_ptr, sum_ptr, y_ptr, total, N, BLOCK: tl.constexpr):
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    inb = offs < total
    row = offs // N
    x = tl.load(x_ptr + offs, mask=inb, other=0.0).to(tl.float32)
    keep = tl.load(keep_ptr + offs, mask=inb, other=0) != 0
    row_max = tl.load(max_ptr + row, mask=inb, other=0.0)
    row_sum = tl.load(sum_ptr + row, mask=inb, other=1.0)
    y = tl.where(keep, tl.exp(x - row_max) / row_sum, 0.0)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=inb)


def naive_softmax(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    x = x.contiguous()
    keep = mask.contiguous().view(torch.uint8)
    m, n = x.shape
    y = torch.empty_like(x)
    if y.numel() == 0:
        return y
    row_max = torch.empty((m,), device=x.device, dtype=torch.float32)
    row_sum = torch.empty((m,), device=x.device, dtype=torch.float32)
    _row_max_kernel[(m,)](x, keep, row_max, n, BLOCK=BLOCK, num_warps=4)
    _row_sum_kernel[(m,)](x, keep, row_max, row_sum, n, BLOCK=BLOCK, num_warps=4)
    _normalize_kernel[(triton.cdiv(m * n, BLOCK),)](x, keep, row_max, row_sum, y, m * n, n,
                                                    BLOCK=BLOCK, num_warps=4)
    return y
