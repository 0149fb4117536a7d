# upstream: PASS; strict: PASS. Another block size, and a test of its own, which
# GEAK-eval's processing strips (it would raise).
import torch
import triton
import triton.language as tl


@triton.jit
def _kernel(x_ptr, out_ptr, scale, shift, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    tl.store(out_ptr + offsets, tl.load(x_ptr + offsets, mask=mask) * scale + shift, mask=mask)


def scale_shift(x, scale, shift):
    out = torch.empty_like(x)
    _kernel[(triton.cdiv(x.numel(), 128),)](x, out, scale, shift, x.numel(), BLOCK=128)
    return out


def test_scale_shift():
    raise RuntimeError("a candidate's own test must not run")


test_scale_shift()
