"""Ground truth for kldiv_compute: elementwise KL-divergence terms (torch F.kl_div with
reduction='none', log_target=False): out = target * (log(target) - input), 0 where
target == 0. One program handles BLOCK consecutive elements of the flattened tensors."""

import torch
import triton
import triton.language as tl

BLOCK = 2048


@triton.jit
def _kldiv_pointwise_kernel(x_ptr, t_ptr, out_ptr, n, BLOCK: tl.constexpr):
    # 64-bit offsets: the flattened size may pass 2^31.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    t = tl.load(t_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    # xlogy convention: a zero target contributes 0 (log(0) = -inf is never multiplied).
    safe_t = tl.where(t > 0.0, t, 1.0)
    out = tl.where(t > 0.0, t * (tl.log(safe_t) - x), 0.0)
    tl.store(out_ptr + offs, out.to(out_ptr.dtype.element_ty), mask=mask)


def kldiv_compute(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    x = input.contiguous()
    t = target.contiguous()
    out = torch.empty_like(x)
    n = x.numel()
    if n == 0:
        return out
    _kldiv_pointwise_kernel[(triton.cdiv(n, BLOCK),)](x, t, out, n, BLOCK=BLOCK, num_warps=4)
    return out
