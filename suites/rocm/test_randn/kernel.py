"""Ground truth for test_randn: fills a tensor in place with normal draws
mean + std * z from Triton's counter-based Philox generator, z = tl.randn(seed, i) for
flat index i (Philox-4x32-10 words 0 and 1 -> two uniforms -> Box-Muller cosine branch).
Every element is independent, so each program just fills BLOCK of them."""

import torch
import triton
import triton.language as tl


@triton.jit
def _randn_kernel(out_ptr, n, seed, mean, std, BLOCK: tl.constexpr):
    # 64-bit offsets double as the Philox counter (its high word goes to counter[1]).
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    z = tl.randn(seed, offs)
    tl.store(out_ptr + offs, (mean + std * z).to(out_ptr.dtype.element_ty), mask=mask)


def randn(out: torch.Tensor, seed: int, mean: float, std: float) -> None:
    assert out.is_contiguous()
    n = out.numel()
    if n == 0:
        return
    block = 1024
    _randn_kernel[(triton.cdiv(n, block),)](out, n, seed, mean, std, BLOCK=block, num_warps=4)
