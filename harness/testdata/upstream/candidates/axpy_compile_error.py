# upstream: FAIL (call: no test reaches its output); strict: COMPILE_ERROR.
import triton
import triton.language as tl


@triton.jit
def axpy_kernel(x_ptr, y_ptr, out_ptr, alpha, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(out_ptr + offsets, tl.no_such_function(x_ptr + offsets), mask=offsets < n)
