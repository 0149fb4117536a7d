# WRONG_VALUES: returns an empty output at once and has a thread run the kernel 50 ms
# later, after the call (and its timed events) ended; the judge copies the output as
# soon as the call returns and the device is synchronized.
import threading
import time

import torch
import triton
import triton.language as tl


@triton.jit
def _add(x_ptr, y_ptr, o_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    s = tl.load(x_ptr + offs, mask=m).to(tl.float32) + tl.load(y_ptr + offs, mask=m).to(tl.float32)
    tl.store(o_ptr + offs, s.to(o_ptr.dtype.element_ty), mask=m)


def vector_addition(x, y):
    out = torch.full_like(x, float("nan"))

    def later():
        time.sleep(0.05)
        _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)

    threading.Thread(target=later, daemon=True).start()
    return out
