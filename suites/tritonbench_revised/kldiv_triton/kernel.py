"""Ground truth for kldiv_triton: backward of F.kl_div(input, target, reduction='batchmean',
log_target=False) with respect to input: d(input) = -target * grad_output / M. The scalar
grad_output is read on the device (no host synchronisation); each program scales BLOCK
consecutive elements of the flattened target."""

import torch
import triton
import triton.language as tl

BLOCK = 2048


@triton.jit
def _kldiv_bwd_kernel(t_ptr, g_ptr, out_ptr, n, inv_batch, BLOCK: tl.constexpr):
    # 64-bit offsets: the flattened size may pass 2^31.
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    scale = -tl.load(g_ptr).to(tl.float32) * inv_batch
    t = tl.load(t_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    # A zero target gives a zero gradient (the xlogy term and t * x both vanish).
    tl.store(out_ptr + offs, (t * scale).to(out_ptr.dtype.element_ty), mask=mask)


def kldiv_triton(target: torch.Tensor, grad_output: torch.Tensor) -> torch.Tensor:
    t = target.contiguous()
    out = torch.empty_like(t)
    n = t.numel()
    if n == 0:
        return out
    _kldiv_bwd_kernel[(triton.cdiv(n, BLOCK),)](t, grad_output, out, n, 1.0 / t.shape[0],
                                                 BLOCK=BLOCK, num_warps=4)
    return out
