# GPU only. REJECTED_BY_CHECK(timing_sanity): correct, but launches on a side stream
# and returns before the work is done, so that events on the current stream time only
# the launch. The harness synchronises the whole device before comparing, and the
# timing sanity check sees the device busy long after the timed events.
import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def triton_add(x, y):
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out

_side = None


def vector_addition(x, y):
    global _side
    if _side is None:
        _side = torch.cuda.Stream()
    out = torch.empty_like(x)
    _side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(_side):
        _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    return out
