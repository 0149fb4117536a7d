"""Counts the non-zero entries of each row of a 2-D matrix (comparison, cast to int32, row sum)."""
import torch
import triton
import triton.language as tl


@triton.jit
def _nnz_rows(x_ptr, cnt_ptr, cols, stride, BLOCK: tl.constexpr):
    r = tl.program_id(0)
    total = tl.zeros([BLOCK], dtype=tl.int32)
    for s in range(0, cols, BLOCK):
        c = s + tl.arange(0, BLOCK)
        v = tl.load(x_ptr + r * stride + c, mask=c < cols, other=0.0)
        total += (v != 0).to(tl.int32)
    tl.store(cnt_ptr + r, tl.sum(total, axis=0))


def count_nonzero_rows(x: torch.Tensor) -> torch.Tensor:
    cnt = torch.empty(x.shape[0], device=x.device, dtype=torch.int32)
    _nnz_rows[(x.shape[0],)](x, cnt, x.shape[1], x.stride(0), BLOCK=512)
    return cnt
