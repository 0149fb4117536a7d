"""Ground truth for test_random_int: fills a tensor in place with uniform integers in
[low, high) from Triton's counter-based Philox generator. Element i (flat index) takes
tl.randint(seed, i) -- the first 32-bit word of Philox-4x32-10 with counter
(i mod 2^32, i >> 32, 0, 0) and key (seed mod 2^32, seed >> 32) -- reduced modulo
high - low. Every element is independent, so each program just fills BLOCK of them."""

import torch
import triton
import triton.language as tl


@triton.jit
def _random_int_kernel(out_ptr, n, seed, low, span, BLOCK: tl.constexpr):
    # 64-bit offsets double as the Philox counter (its high word goes to counter[1]).
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    bits = tl.randint(seed, offs).to(tl.uint32, bitcast=True)
    # Unsigned 32-bit remainder (0 < span < 2^31). span is broadcast to a tensor first:
    # an int argument equal to 1 is specialised to a compile-time constant.
    span_u = (tl.zeros([BLOCK], dtype=tl.int32) + span).to(tl.uint32)
    vals = (bits % span_u).to(tl.int32) + low
    tl.store(out_ptr + offs, vals.to(out_ptr.dtype.element_ty), mask=mask)


def random_int(out: torch.Tensor, seed: int, low: int, high: int) -> None:
    assert out.is_contiguous() and 1 <= high - low < 2**31
    n = out.numel()
    if n == 0:
        return
    block = 1024
    _random_int_kernel[(triton.cdiv(n, block),)](out, n, seed, low, high - low,
                                                 BLOCK=block, num_warps=4)
