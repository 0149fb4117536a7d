# upstream: FAIL (exec); strict: PASS. Off by 5e-3: within the strict tolerance (atol
# 1e-2), outside the 1e-3 that GEAK-eval's compare applies inside a container.
import torch
import triton
import triton.language as tl


@triton.jit
def _kernel(x_ptr, out_ptr, cols, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offsets = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + row * cols + offsets, mask=offsets < cols, other=float("-inf"))
    tl.store(out_ptr + row, tl.max(x, axis=0) + 5e-3)


def row_max(x):
    rows, cols = x.shape
    out = torch.empty(rows, device=x.device, dtype=x.dtype)
    _kernel[(rows,)](x, out, cols, BLOCK=triton.next_power_of_2(cols))
    return out
