"""Ground truth for uniform_sampling: one program draws Philox uniforms for one block of
flat indices and writes low + (high - low) * r in place."""

import torch
import triton
import triton.language as tl


@triton.jit
def _uniform_kernel(out_ptr, n, low, high, seed, BLOCK: tl.constexpr):
    # 64-bit offsets: n may pass 2^31 (for offsets below 2^32 Philox sees the same counter
    # as with 32-bit offsets).
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    r = tl.rand(seed, offs)
    val = low + (high - low) * r
    tl.store(out_ptr + offs, val.to(out_ptr.dtype.element_ty), mask=mask)


def uniform_sampling(out: torch.Tensor, low: float, high: float, seed: int) -> None:
    n = out.numel()
    if n == 0:
        return
    block = 2048
    _uniform_kernel[(triton.cdiv(n, block),)](out, n, low, high, seed, BLOCK=block, num_warps=8)
