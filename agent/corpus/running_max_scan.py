"""Running (prefix) maximum along each row of a 2-D tensor using tl.associative_scan with a maximum combine function."""
import torch
import triton
import triton.language as tl


@triton.jit
def _max_combine(a, b):
    return tl.maximum(a, b)


@triton.jit
def _prefix_max(x_ptr, y_ptr, width, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    k = tl.arange(0, BLOCK)
    vals = tl.load(x_ptr + row * width + k, mask=k < width, other=-float("inf"))
    scanned = tl.associative_scan(vals, 0, _max_combine)
    tl.store(y_ptr + row * width + k, scanned, mask=k < width)


def running_max_scan(x: torch.Tensor) -> torch.Tensor:
    x = x.contiguous()
    y = torch.empty_like(x)
    _prefix_max[(x.shape[0],)](x, y, x.shape[1], BLOCK=triton.next_power_of_2(x.shape[1]))
    return y
