# GPU only. REJECTED_BY_CHECK(mostly_torch): torch computes the answer into a scratch
# tensor and a Triton kernel copies it into a fresh output, so the data flow runs
# through Triton; the profiler shows PyTorch's add kernel doing most of the GPU work.
# (The CPU interpreter has no GPU kernels to profile: there it passes.)
import torch
import triton
import triton.language as tl


@triton.jit
def _copy(src, dst, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(dst + offs, tl.load(src + offs, mask=m), mask=m)


def vector_addition(x, y):
    answer = torch.add(x, y)
    out = torch.empty_like(answer)
    _copy[(triton.cdiv(out.numel(), 1024),)](answer, out, out.numel(), BLOCK=1024)
    return out
