"""Per-row range of a 2-D matrix: for each row, its largest value minus its smallest, one program per row with the row in one block."""
import torch
import triton
import triton.language as tl


@triton.jit
def _ptp_rows(x_ptr, out_ptr, cols, stride_row, BLOCK_C: tl.constexpr):
    r = tl.program_id(0)
    c = tl.arange(0, BLOCK_C)
    m = c < cols
    hi = tl.max(tl.load(x_ptr + r * stride_row + c, mask=m, other=-float("inf")), axis=0)
    lo = tl.min(tl.load(x_ptr + r * stride_row + c, mask=m, other=float("inf")), axis=0)
    tl.store(out_ptr + r, hi - lo)


def row_peak_to_peak(x: torch.Tensor) -> torch.Tensor:
    rows, cols = x.shape
    out = torch.empty(rows, device=x.device, dtype=x.dtype)
    _ptp_rows[(rows,)](x, out, cols, x.stride(0), BLOCK_C=triton.next_power_of_2(cols))
    return out
